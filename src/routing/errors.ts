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
  | 'shutdown'
  /** The request cannot be sent as it is (its body does not encode): the caller's, a 400. */
  | 'invalid_request'
  /** The gateway itself failed during an attempt (not the upstream): a 500. */
  | 'internal_error';

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
 * The request breaks a limit of {@link REQUEST_LIMITS} (nesting, messages, content parts), asks a
 * chat model for embeddings or an embedding model for a chat (`model_kind_mismatch`), or is otherwise
 * malformed (`invalid_request`, library callers): refused before any model is tried. `param` names
 * where (`messages[0].content`); `status` is 400.
 */
export class InvalidRequestError extends SwitchboardError {
  readonly status = 400;
  constructor(
    code: 'request_limit_exceeded' | 'model_kind_mismatch' | 'invalid_request',
    message: string,
    readonly param: string | null,
  ) {
    super(code, message);
    this.name = 'InvalidRequestError';
  }
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
