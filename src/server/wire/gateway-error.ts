import { SwitchboardError } from '../../common/errors.js';

/** An error that already knows its place on the wire: status, OpenAI error type, code and param. */
export class GatewayError extends SwitchboardError {
  constructor(
    readonly status: number,
    readonly type: string,
    code: string,
    message: string,
    readonly param: string | null = null,
    readonly headers: Record<string, string> = {},
  ) {
    super(code, message);
    this.name = 'GatewayError';
  }
}

export const invalidRequest = (message: string, param: string | null = null, code = 'invalid_request') =>
  new GatewayError(400, 'invalid_request_error', code, message, param);
