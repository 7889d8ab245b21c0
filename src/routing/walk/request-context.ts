import { type Clock, roundMs } from '../../common/clock.js';
import { type AbortSignalLike, LinkedAbort } from '../../common/linked-abort.js';
import { DeadlineExceeded } from '../errors.js';
import { freshMetadata, type ResultMetadata } from '../metadata.js';
import type { TraceHeaders } from '../trace-context.js';

export interface RequestContextInit {
  clock: Clock;
  requestId: string;
  /** The request's deadline, from now. */
  totalMs: number;
  /** The caller's signal: aborting it cancels the request. */
  callerSignal: AbortSignalLike | undefined;
  chain: readonly string[];
  route: string | undefined;
  /** Streaming requests measure time to first token; others, whole answers. */
  stream: boolean;
  /** Trace headers for upstream calls (EngineDeps.traceHeaders), when tracing is on. */
  traceHeaders?: TraceHeaders | undefined;
}

/** The state of one request while the engine works on it. */
export class RequestContext {
  readonly clock: Clock;
  readonly requestId: string;
  readonly totalMs: number;
  readonly callerSignal: AbortSignalLike | undefined;
  readonly stream: boolean;
  readonly startedAtMs: number;
  deadlineMs: number;
  /** Aborts on the caller's signal or at the deadline. Every attempt and wait hangs off it. */
  readonly scope: LinkedAbort;
  readonly meta: ResultMetadata;
  readonly traceHeaders: TraceHeaders | undefined;

  constructor(init: RequestContextInit) {
    const { clock, requestId, totalMs, chain, route } = init;
    this.clock = clock;
    this.requestId = requestId;
    this.totalMs = totalMs;
    this.callerSignal = init.callerSignal;
    this.stream = init.stream;
    this.traceHeaders = init.traceHeaders;
    this.startedAtMs = clock.now();
    this.deadlineMs = this.startedAtMs + totalMs;
    this.scope = new LinkedAbort(clock, this.callerSignal);
    this.scope.arm(totalMs, () => new DeadlineExceeded(totalMs));
    this.meta = freshMetadata(requestId, chain, route);
  }

  get signal(): AbortSignalLike {
    return this.scope.signal;
  }

  get callerAborted(): boolean {
    return this.callerSignal?.aborted ?? false;
  }

  /** A fresh `totalMs` from now (a stream being recovered gets the same budget as a new request). */
  restartDeadline(): void {
    this.deadlineMs = this.clock.now() + this.totalMs;
    this.scope.arm(this.totalMs, () => new DeadlineExceeded(this.totalMs));
  }

  elapsedMs(): number {
    return this.clock.now() - this.startedAtMs;
  }

  /** Seals latency and releases the deadline timer. */
  finish(): ResultMetadata {
    this.meta.latencyMs = roundMs(this.elapsedMs());
    this.scope.dispose();
    return this.meta;
  }
}
