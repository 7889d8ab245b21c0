import type { BreakerState } from '../resilience/circuit-breaker.js';
import type { AttemptRecord, ResultMetadata, SkipReason, StreamRecovery } from './metadata.js';
import type { Operation, TraceParent } from './trace-context.js';

/**
 * Everything the engine does, as typed events. The engine never logs: loggers and metrics subscribe.
 * Events never carry provider keys, prompts or completions.
 */
export type SwitchboardEvent =
  | {
      type: 'request.started';
      requestId: string;
      route?: string;
      chain: readonly string[];
      stream: boolean;
      /** The body's `model`: what the caller asked for (a route or a model). */
      requestedModel?: string;
      operation?: Operation;
      /** The caller's trace context, when it sent one. */
      trace?: TraceParent;
    }
  | {
      type: 'attempt.started';
      requestId: string;
      model: string;
      provider: string;
      probe: boolean;
      retry: number;
      hedge: boolean;
    }
  | { type: 'hedge.started'; requestId: string; model: string; hedge: string; afterMs: number }
  | { type: 'retry.budget_exhausted'; requestId: string; model: string }
  | ({ type: 'stream.recovered'; requestId: string } & StreamRecovery)
  | ({ type: 'attempt.succeeded'; requestId: string } & AttemptRecord)
  | ({ type: 'attempt.failed'; requestId: string } & AttemptRecord)
  | { type: 'retry.scheduled'; requestId: string; model: string; delayMs: number; reason: string }
  | { type: 'model.skipped'; requestId: string; model: string; reason: SkipReason; untilMs?: number }
  | { type: 'model.cooling_down'; model: string; untilMs: number; retryAfterMs: number; requestId: string }
  | {
      type: 'fallback';
      requestId: string;
      from: string;
      to: string;
      fromProvider: string;
      toProvider: string;
      /** Falling back within one provider: an outage of that provider takes both. */
      sameProvider: boolean;
      reason: string;
    }
  | {
      type: 'breaker.transition';
      model: string;
      from: BreakerState;
      to: BreakerState;
      cooldownMs: number;
      reason: string;
      /** Learnt from another instance through the shared state. */
      remote?: boolean;
    }
  | ProbeEvent
  | { type: 'stream.malformed_chunk'; requestId: string; model: string }
  | { type: 'request.succeeded'; requestId: string; metadata: ResultMetadata }
  | { type: 'request.failed'; requestId: string; code: string; message: string; metadata: ResultMetadata };

/**
 * Active health probes (health/health-prober.ts): a one-token synthetic request the gateway sends
 * while a model's breaker is open. They carry no user content; `costUsd` is the probe's own price.
 */
export type ProbeEvent =
  | { type: 'probe.started'; model: string; provider: string }
  | {
      type: 'probe.succeeded';
      model: string;
      provider: string;
      durationMs: number;
      costUsd: number;
      promptTokens: number;
      completionTokens: number;
    }
  | {
      type: 'probe.failed';
      model: string;
      provider: string;
      durationMs: number;
      status?: number;
      errorKind?: string;
      errorCode: string;
    }
  /** Another instance holds this interval's probe of the model (shared state). */
  | { type: 'probe.skipped'; model: string; reason: 'claimed_elsewhere' };

export type SwitchboardEventType = SwitchboardEvent['type'];
export type Listener = (event: SwitchboardEvent) => void;

/** A tiny synchronous event bus. A listener that throws is isolated: it cannot break a request. */
export class EventBus {
  #listeners: Listener[] = [];

  /** Subscribes; returns a function that unsubscribes. */
  on(listener: Listener): () => void {
    this.#listeners = [...this.#listeners, listener];
    return () => {
      this.#listeners = this.#listeners.filter((l) => l !== listener);
    };
  }

  get hasListeners(): boolean {
    return this.#listeners.length > 0;
  }

  emit(event: SwitchboardEvent): void {
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch {
        // A broken subscriber must never break a request.
      }
    }
  }
}
