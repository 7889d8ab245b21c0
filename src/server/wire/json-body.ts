import { GatewayError } from './gateway-error.js';

/** 413: the body is larger than `server.max_body_bytes`. */
export function bodyTooLarge(limitBytes: number): GatewayError {
  return new GatewayError(
    413,
    'invalid_request_error',
    'request_too_large',
    `The request body is larger than server.max_body_bytes allows (${limitBytes} bytes).`,
  );
}

/** The declared `content-length` says the body will not fit: refuse it before reading. */
export function declaredTooLarge(contentLength: string | undefined, limitBytes: number): boolean {
  return contentLength !== undefined && Number(contentLength) > limitBytes;
}

/** Parses a request body as JSON, with the same errors on both faces. */
export function parseJsonBody(text: string): unknown {
  if (text.length === 0) {
    throw new GatewayError(
      400,
      'invalid_request_error',
      'invalid_json',
      'The request body is empty; send a JSON object.',
    );
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new GatewayError(
      400,
      'invalid_request_error',
      'invalid_json',
      'The request body is not valid JSON.',
    );
  }
}
