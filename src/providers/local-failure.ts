import { SwitchboardError } from '../common/errors.js';

/**
 * An attempt that failed before or apart from any upstream: it says nothing about the model, so it
 * never reaches a breaker, a cooldown, the retry budget or a model's error statistics, and it is never
 * retried or failed over (the same request would fail the same way on the next model).
 * - `request`: the caller's own request cannot be sent as it is (a body JSON cannot encode) → a 400;
 * - `gateway`: the gateway itself failed (a bug in an adapter or in the engine) → a 500.
 * Only what really came from the upstream (an HTTP answer, a socket error, a timeout) is an
 * `UpstreamError`.
 */
export class LocalFailure extends SwitchboardError {
  constructor(
    readonly origin: 'request' | 'gateway',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(origin === 'request' ? 'invalid_request' : 'internal_error', message, options);
    this.name = 'LocalFailure';
  }
}

/** A thrown value that is not an upstream failure, as the gateway's own fault. */
export function gatewayFault(thrown: unknown): LocalFailure {
  if (thrown instanceof LocalFailure) return thrown;
  const detail = thrown instanceof Error ? `${thrown.name}: ${thrown.message}` : String(thrown);
  return new LocalFailure('gateway', `the gateway failed during an attempt (${detail.slice(0, 200)})`, {
    cause: thrown,
  });
}

/**
 * The request body as JSON for an upstream. A body JSON cannot encode (nested too deep for the
 * encoder, a BigInt, a cycle, a throwing `toJSON`) is the caller's error, never the upstream's.
 */
export function encodeJsonBody(body: unknown): string {
  try {
    return JSON.stringify(body);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new LocalFailure(
      'request',
      `the request body cannot be encoded as JSON (${detail.slice(0, 120)})`,
      { cause: error },
    );
  }
}
