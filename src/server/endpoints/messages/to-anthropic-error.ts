import { toOpenAIError } from '../../wire/to-openai-error.js';
import type { EndpointError } from '../types.js';

/** Anthropic's error types by HTTP status (https://docs.anthropic.com/en/api/errors). */
const TYPE_BY_STATUS: Readonly<Record<number, string>> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  402: 'billing_error',
  403: 'permission_error',
  404: 'not_found_error',
  405: 'invalid_request_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  504: 'timeout_error',
  529: 'overloaded_error',
};

/**
 * Any error → Anthropic's error shape `{"type":"error","error":{"type","message"}}` with Anthropic's
 * statuses, so the Anthropic SDK raises its usual classes: the same decisions as the OpenAI mapping
 * (one place decides statuses and messages), re-dressed. Every model down or cooling (503) is
 * Anthropic's 529 `overloaded_error`, which its SDK retries; `retry-after` is kept.
 */
export function toAnthropicError(error: unknown): EndpointError {
  const openai = toOpenAIError(error);
  const status = openai.status === 503 ? 529 : openai.status === 502 ? 500 : openai.status;
  const type = TYPE_BY_STATUS[status] ?? (status >= 500 ? 'api_error' : 'invalid_request_error');
  return {
    status,
    headers: openai.headers,
    body: { type: 'error', error: { type, message: openai.body.error.message } },
  };
}

/** An in-stream error event (`event: error`), for a stream that breaks after it began. */
export function anthropicErrorFrame(error: unknown): string {
  const { body } = toAnthropicError(error);
  return `event: error\ndata: ${JSON.stringify(body)}\n\n`;
}
