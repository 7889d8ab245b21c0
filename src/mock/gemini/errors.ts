/** Google's error envelope, as the Gemini API sends it: `{"error": {"code", "message", "status", "details"}}`. */
export interface GoogleErrorBody {
  error: { code: number; message: string; status: string; details?: unknown[] };
}

/** The canonical status name Google pairs with each HTTP status. */
const STATUS_NAMES: Readonly<Record<number, string>> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  409: 'ABORTED',
  429: 'RESOURCE_EXHAUSTED',
  499: 'CANCELLED',
  500: 'INTERNAL',
  501: 'NOT_IMPLEMENTED',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

const MESSAGES: Readonly<Record<number, string>> = {
  400: 'Request contains an invalid argument.',
  401: 'Request had invalid authentication credentials.',
  403: 'The caller does not have permission',
  404: 'Requested entity was not found.',
  500: 'An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting',
  503: 'The model is overloaded. Please try again later.',
  504: 'The request timed out. Please try again.',
};

export function googleError(code: number, message: string, details?: unknown[]): GoogleErrorBody {
  const status = STATUS_NAMES[code] ?? (code >= 500 ? 'UNKNOWN' : 'FAILED_PRECONDITION');
  return { error: { code, message, status, ...(details ? { details } : {}) } };
}

/** A fitting Gemini error for an HTTP status; `provider` (the mock's name) only decorates the message. */
export function statusError(code: number, provider: string, model?: string): GoogleErrorBody {
  const base =
    code === 404 && model !== undefined
      ? `models/${model} is not found for API version v1beta, or is not supported for generateContent.`
      : (MESSAGES[code] ?? `The request failed with status ${code}.`);
  return googleError(code, `${base} (simulated by mock provider '${provider}')`);
}

/**
 * 429 RESOURCE_EXHAUSTED as Gemini sends it: a QuotaFailure, a Help link and, when a delay is known, a
 * `google.rpc.RetryInfo` whose `retryDelay` is a protobuf duration ("30s", "1.5s"). No Retry-After header.
 */
export function rateLimitError(provider: string, retryDelayMs?: number): GoogleErrorBody {
  const delay = retryDelayMs === undefined ? undefined : `${retryDelayMs / 1000}s`;
  const details: unknown[] = [
    {
      '@type': 'type.googleapis.com/google.rpc.QuotaFailure',
      violations: [
        {
          quotaMetric: 'generativelanguage.googleapis.com/generate_content_free_tier_requests',
          quotaId: 'GenerateRequestsPerMinutePerProjectPerModel-FreeTier',
        },
      ],
    },
    {
      '@type': 'type.googleapis.com/google.rpc.Help',
      links: [
        {
          description: 'Learn more about Gemini API quotas',
          url: 'https://ai.google.dev/gemini-api/docs/rate-limits',
        },
      ],
    },
  ];
  if (delay) details.push({ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: delay });
  const retry = delay ? ` Please retry in ${delay}.` : '';
  return googleError(
    429,
    `You exceeded your current quota, please check your plan and billing details.${retry} (simulated by mock provider '${provider}')`,
    details,
  );
}

/** Gemini's answer to an over-long prompt (it has no code for it, only this wording). */
export function contextLengthError(inputTokens: number): GoogleErrorBody {
  return googleError(
    400,
    `The input token count (${Math.max(inputTokens, 1048577)}) exceeds the maximum number of tokens allowed (1048576).`,
  );
}

/** No key: Google refuses unidentified callers with 403. */
export function missingKeyError(): GoogleErrorBody {
  return googleError(
    403,
    "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.",
  );
}

/** A wrong key: 400 INVALID_ARGUMENT carrying ErrorInfo reason API_KEY_INVALID. */
export function invalidKeyError(): GoogleErrorBody {
  return googleError(400, 'API key not valid. Please pass a valid API key.', [
    {
      '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
      reason: 'API_KEY_INVALID',
      domain: 'googleapis.com',
      metadata: { service: 'generativelanguage.googleapis.com' },
    },
  ]);
}

/** Gemini models that take no prefill refuse a request ending with a model turn. */
export function trailingModelTurnError(): GoogleErrorBody {
  return googleError(
    400,
    'Requests ending with a model turn are not supported unless the last part is a function response.',
  );
}
