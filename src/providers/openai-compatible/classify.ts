import { type HeaderMap, UpstreamError } from '../upstream-error.js';

interface ProviderErrorBody {
  message?: string;
  code?: string;
  type?: string;
}

/** Reads `{"error": {"message", "type", "code"}}` (or a bare `{message, code}`) without trusting its shape. */
export function readErrorBody(text: string): ProviderErrorBody {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return text ? { message: text.slice(0, 500) } : {};
  }
  if (!parsed || typeof parsed !== 'object') return {};
  const root = parsed as Record<string, unknown>;
  const err = (typeof root.error === 'object' && root.error !== null ? root.error : root) as Record<
    string,
    unknown
  >;
  const str = (v: unknown) => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);
  return {
    message: str(err.message) ?? (typeof root.error === 'string' ? root.error : undefined),
    code: str(err.code),
    type: str(err.type),
  };
}

const CONTEXT_CODES = new Set([
  'context_length_exceeded',
  'string_above_max_length',
  'context_window_exceeded',
]);
const POLICY_CODES = new Set([
  'content_filter',
  'content_policy_violation',
  'content_filtered',
  'data_inspection_failed', // Qwen / DashScope
  '1301', // Zhipu: unsafe content
  'moderation_blocked',
]);
// Some servers (vLLM, llama.cpp) send no code for an over-long prompt; their wording is stable.
const CONTEXT_MESSAGE =
  /maximum context length|context length exceeded|context window|too many tokens|prompt is too long/i;

/**
 * Classifies a non-2xx upstream answer from its status and error body. Pure. `secrets` (the
 * provider's key and header values) are redacted from the message it keeps.
 */
export function classifyHttpError(
  status: number,
  headers: HeaderMap,
  bodyText: string,
  secrets: readonly string[] = [],
): UpstreamError {
  const body = readErrorBody(bodyText);
  const common = {
    secrets,
    status,
    code: `http_${status}`,
    providerMessage: body.message,
    providerCode: body.code ?? body.type,
    headers: pickWaitHeaders(headers),
  };
  const codes = [body.code, body.type].filter((c): c is string => typeof c === 'string');
  if (codes.some((c) => CONTEXT_CODES.has(c)))
    return new UpstreamError({ ...common, kind: 'context_length' });
  if (codes.some((c) => POLICY_CODES.has(c)) || status === 451) {
    return new UpstreamError({ ...common, kind: 'content_policy' });
  }
  if (status === 429) return new UpstreamError({ ...common, kind: 'rate_limited' });
  if (status === 408 || status === 425 || status >= 500)
    return new UpstreamError({ ...common, kind: 'transient' });
  if (status === 401 || status === 402 || status === 403 || status === 404) {
    return new UpstreamError({ ...common, kind: 'provider' });
  }
  if ((status === 400 || status === 413) && body.message && CONTEXT_MESSAGE.test(body.message)) {
    return new UpstreamError({ ...common, kind: 'context_length' });
  }
  if (status >= 400) return new UpstreamError({ ...common, kind: 'client' });
  return new UpstreamError({ ...common, kind: 'transient', code: 'unexpected_status' });
}

const WAIT_HEADERS = [
  'retry-after',
  'retry-after-ms',
  'x-ratelimit-reset-requests',
  'x-ratelimit-reset-tokens',
  'x-ratelimit-remaining-requests',
  'x-ratelimit-remaining-tokens',
];

/** Keeps only the headers that tell us how long to wait: nothing else of the upstream answer is retained. */
export function pickWaitHeaders(headers: HeaderMap): HeaderMap | undefined {
  let out: HeaderMap | undefined;
  for (const name of WAIT_HEADERS) {
    const value = headers[name];
    if (value !== undefined) {
      out ??= {};
      out[name] = value;
    }
  }
  return out;
}
