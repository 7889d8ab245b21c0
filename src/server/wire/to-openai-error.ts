import { InvalidRequestError, RequestFailedError, UnknownModelError } from '../../routing/index.js';
import { GatewayError } from './gateway-error.js';

export interface WireError {
  status: number;
  headers: Record<string, string>;
  body: { error: { message: string; type: string; param: string | null; code: string | null } };
}

/**
 * The one place where errors become OpenAI-shaped answers, so every SDK raises its usual error class.
 * Unknown errors say nothing of their insides.
 */
export function toOpenAIError(error: unknown): WireError {
  const wire = (
    status: number,
    type: string,
    code: string | null,
    message: string,
    param: string | null = null,
    headers: Record<string, string> = {},
  ) => ({
    status,
    headers,
    body: { error: { message, type, param, code } },
  });
  if (error instanceof GatewayError)
    return wire(error.status, error.type, error.code, error.message, error.param, error.headers);
  if (error instanceof UnknownModelError)
    return wire(404, 'invalid_request_error', 'model_not_found', error.message, error.param);
  if (error instanceof InvalidRequestError)
    return wire(400, 'invalid_request_error', error.code, error.message, error.param);
  if (error instanceof RequestFailedError) {
    switch (error.code) {
      case 'invalid_request':
        return wire(400, 'invalid_request_error', 'invalid_request', error.message);
      case 'internal_error':
        return wire(500, 'server_error', 'internal_error', INTERNAL_MESSAGE);
      case 'upstream_client_error':
        return wire(
          error.status,
          'invalid_request_error',
          error.upstream?.code ?? 'upstream_client_error',
          error.message,
        );
      case 'content_policy':
        return wire(400, 'invalid_request_error', error.upstream?.code ?? 'content_filter', error.message);
      case 'context_length_exceeded':
        return wire(400, 'invalid_request_error', 'context_length_exceeded', error.message, 'messages');
      case 'unsupported_field':
        return wire(400, 'invalid_request_error', 'unsupported_field', error.message);
      case 'deadline_exceeded':
        return wire(504, 'timeout_error', 'deadline_exceeded', error.message);
      case 'cancelled':
        return wire(499, 'cancelled', 'cancelled', error.message);
      case 'shutdown':
        return wire(503, 'server_error', 'shutdown', error.message);
      case 'stream_interrupted':
        return wire(502, 'server_error', 'stream_interrupted', error.message);
      default: {
        const headers: Record<string, string> = {};
        if (error.retryAfterMs !== undefined)
          headers['retry-after'] = String(Math.max(1, Math.ceil(error.retryAfterMs / 1000)));
        return wire(503, 'server_error', error.code, error.message, null, headers);
      }
    }
  }
  return wire(500, 'server_error', 'internal_error', INTERNAL_MESSAGE);
}

/** What a caller sees of the gateway's own failures: their detail is for the operator's log only. */
const INTERNAL_MESSAGE = 'an internal error occurred in the gateway; it was logged';
