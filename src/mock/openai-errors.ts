/** OpenAI's error envelope. Every error the simulated provider returns has this shape. */
export interface OpenAIErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

export function errorBody(
  message: string,
  type: string,
  code: string | null,
  param: string | null = null,
): OpenAIErrorBody {
  return { error: { message, type, param, code } };
}

interface StatusInfo {
  type: string;
  code: string | null;
  message: string;
}

const STATUS_INFO: Readonly<Record<number, StatusInfo>> = {
  400: { type: 'invalid_request_error', code: null, message: 'Bad request.' },
  401: {
    type: 'invalid_request_error',
    code: 'invalid_api_key',
    message: 'Incorrect API key provided. You can find your API key in your account settings.',
  },
  402: {
    type: 'insufficient_quota',
    code: 'insufficient_quota',
    message:
      'Insufficient balance: you exceeded your current quota, please check your plan and billing details.',
  },
  403: {
    type: 'permission_error',
    code: 'permission_denied',
    message: 'You are not allowed to access this resource.',
  },
  404: { type: 'invalid_request_error', code: 'model_not_found', message: 'The model does not exist.' },
  408: { type: 'timeout_error', code: 'request_timeout', message: 'The request timed out.' },
  409: {
    type: 'invalid_request_error',
    code: 'conflict',
    message: 'The request conflicts with another one.',
  },
  413: {
    type: 'invalid_request_error',
    code: 'request_too_large',
    message: 'The request body is too large.',
  },
  422: {
    type: 'invalid_request_error',
    code: 'unprocessable_entity',
    message: 'The request could not be processed.',
  },
  429: {
    type: 'rate_limit_error',
    code: 'rate_limit_exceeded',
    message: 'Rate limit reached for requests. Please try again later.',
  },
  500: {
    type: 'server_error',
    code: 'internal_error',
    message: 'The server had an error while processing your request.',
  },
  502: { type: 'server_error', code: 'bad_gateway', message: 'Bad gateway.' },
  503: {
    type: 'server_error',
    code: 'service_unavailable',
    message: 'The server is overloaded or not ready yet.',
  },
  504: { type: 'server_error', code: 'gateway_timeout', message: 'Gateway timeout.' },
  529: { type: 'server_error', code: 'overloaded', message: 'The service is temporarily overloaded.' },
};

/**
 * A fitting OpenAI error body for an HTTP status. `provider` (the mock's name) and `model` (the
 * requested upstream model) only decorate the message; no request secret ever appears in it.
 */
export function statusErrorBody(status: number, provider: string, model?: string): OpenAIErrorBody {
  const info = STATUS_INFO[status] ?? {
    type: status >= 500 ? 'server_error' : 'invalid_request_error',
    code: null,
    message: `The request failed with status ${status}.`,
  };
  const message =
    status === 404 && model !== undefined
      ? `The model \`${model}\` does not exist or you do not have access to it.`
      : info.message;
  return errorBody(`${message} (simulated by mock provider '${provider}')`, info.type, info.code);
}

export function contextLengthBody(provider: string): OpenAIErrorBody {
  return errorBody(
    "This model's maximum context length is 8192 tokens. However, your messages resulted in more tokens. " +
      `Please reduce the length of the messages. (simulated by mock provider '${provider}')`,
    'invalid_request_error',
    'context_length_exceeded',
    'messages',
  );
}

export function contentFilterBody(provider: string): OpenAIErrorBody {
  return errorBody(
    "The response was filtered due to the prompt triggering the content management policy. Please modify your prompt and retry. (simulated by mock provider '" +
      provider +
      "')",
    'invalid_request_error',
    'content_filter',
    'prompt',
  );
}

/** The auth headers a careless upstream quotes back: what the `echo-key` faults put in their message. */
const ECHOED_HEADERS = ['authorization', 'x-api-key', 'x-goog-api-key'] as const;

/**
 * An error body whose message quotes the request's auth headers verbatim, as some upstreams do
 * (`Received authorization "Bearer sk-…"`): the gateway must never pass it on unredacted.
 */
export function echoKeyBody(
  status: number,
  headers: Readonly<Record<string, string | string[] | undefined>>,
  provider: string,
): OpenAIErrorBody {
  const quoted = ECHOED_HEADERS.filter((name) => headers[name] !== undefined).map(
    (name) => `${name} "${String(headers[name])}"`,
  );
  const received = quoted.length > 0 ? `Received ${quoted.join(', ')}` : 'Received no credentials';
  const base = statusErrorBody(status, provider).error;
  return errorBody(
    `The request was refused. ${received}. (simulated by mock provider '${provider}')`,
    base.type,
    base.code,
  );
}

export function missingKeyBody(): OpenAIErrorBody {
  return errorBody(
    "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
    'invalid_request_error',
    'invalid_api_key',
  );
}
