import { SwitchboardError } from '../common/errors.js';
import type { ResultMetadata } from './metadata.js';

/** Why an attempt's signal was aborted by the engine itself (as opposed to by the caller). */
export class AttemptTimeout extends SwitchboardError {
  constructor(
    readonly phase: 'first_byte' | 'first_token' | 'attempt' | 'stall',
    readonly timeoutMs: number,
  ) {
    super('timeout', `no answer within ${timeoutMs} ms (${phase})`);
    this.name = 'AttemptTimeout';
  }
}

/** The reason an attempt is withdrawn when another attempt of a hedged pair won. */
export class HedgeLost extends SwitchboardError {
  constructor() {
    super('hedge_lost', 'another attempt answered first');
    this.name = 'HedgeLost';
  }
}

export class DeadlineExceeded extends SwitchboardError {
  constructor(readonly totalMs: number) {
    super('deadline_exceeded', `the request's deadline of ${totalMs} ms passed`);
    this.name = 'DeadlineExceeded';
  }
}

/** The request named a route or model that is not configured. Lists what exists. */
export class UnknownModelError extends SwitchboardError {
  constructor(
    message: string,
    readonly param: string,
  ) {
    super('model_not_found', message);
    this.name = 'UnknownModelError';
  }
}

export type RequestFailureCode =
  | 'all_models_failed'
  | 'cancelled'
  | 'deadline_exceeded'
  | 'upstream_client_error'
  | 'content_policy'
  | 'context_length_exceeded'
  | 'unsupported_field'
  | 'stream_interrupted'
  | 'shutdown';

export interface RequestFailedInit {
  code: RequestFailureCode;
  message: string;
  /** What an HTTP face should answer with. */
  status: number;
  metadata: ResultMetadata;
  /** Set when every model was cooling down: when the soonest recovers. */
  retryAfterMs?: number;
  /** What the upstream said, when the failure is its verdict on the request. */
  upstream?: { status?: number; message?: string; code?: string };
}

/**
 * A request that did not produce an answer. `status` is what an HTTP face should answer with;
 * `metadata` holds every attempt. `retryAfterMs` is set when every model was cooling down.
 * Built only in `failures.ts`.
 */
export class RequestFailedError extends SwitchboardError {
  declare readonly code: RequestFailureCode;
  readonly status: number;
  readonly metadata: ResultMetadata;
  readonly retryAfterMs: number | undefined;
  readonly upstream: { status?: number; message?: string; code?: string } | undefined;

  constructor(init: RequestFailedInit) {
    super(init.code, init.message);
    this.name = 'RequestFailedError';
    this.status = init.status;
    this.metadata = init.metadata;
    this.retryAfterMs = init.retryAfterMs;
    this.upstream = init.upstream;
  }
}
