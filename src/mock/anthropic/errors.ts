/** Anthropic's error envelope: `{"type":"error","error":{"type","message"},"request_id"}`. */
export interface AnthropicErrorBody {
  type: 'error';
  error: { type: string; message: string };
  request_id: string;
}

export function anthropicError(type: string, message: string, requestId: string): AnthropicErrorBody {
  return { type: 'error', error: { type, message }, request_id: requestId };
}

/** The error type and message Anthropic documents for each status. */
const STATUS_INFO: Readonly<Record<number, { type: string; message: string }>> = {
  400: {
    type: 'invalid_request_error',
    message: 'There was an issue with the format or content of your request.',
  },
  401: { type: 'authentication_error', message: 'invalid x-api-key' },
  402: { type: 'billing_error', message: 'There is an issue with your billing or payment information.' },
  403: {
    type: 'permission_error',
    message: 'Your API key does not have permission to use the specified resource.',
  },
  404: { type: 'not_found_error', message: 'The requested resource was not found.' },
  413: { type: 'request_too_large', message: 'Request exceeds the maximum allowed number of bytes.' },
  429: { type: 'rate_limit_error', message: 'Your account has hit a rate limit.' },
  500: { type: 'api_error', message: 'An unexpected error has occurred internal to our systems.' },
  504: { type: 'timeout_error', message: 'The request timed out.' },
  529: { type: 'overloaded_error', message: 'Overloaded' },
};

/** A fitting error body for a status; `provider` (the mock's name) decorates the message, nothing secret does. */
export function statusError(
  status: number,
  provider: string,
  requestId: string,
  model?: string,
): AnthropicErrorBody {
  const info = STATUS_INFO[status] ?? {
    type: status >= 500 ? 'api_error' : 'invalid_request_error',
    message: `The request failed with status ${status}.`,
  };
  const message = status === 404 && model !== undefined ? `model: ${model}` : info.message;
  return anthropicError(info.type, `${message} (simulated by mock provider '${provider}')`, requestId);
}
