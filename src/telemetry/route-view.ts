import type { Clock } from '../common/clock.js';
import type { EventBus, ResultMetadata, SwitchboardEvent } from '../routing/index.js';

/** How a model of a route's chain took part in the route's latest request. */
export type ChainRole =
  | { model: string; role: 'answered' }
  | { model: string; role: 'failed'; why: string }
  | { model: string; role: 'skipped'; why: string }
  | { model: string; role: 'not_tried' };

/** The latest finished request of one route. */
export interface RouteLast {
  /** When it finished, ms since the epoch. */
  at_ms: number;
  ok: boolean;
  /** The model that answered; null when the request failed. */
  answered_by: string | null;
  /** Error code of a failed request (`all_models_failed`, …); null when answered. */
  code: string | null;
  /** The chain as walked (strategy order), each model with its part. */
  chain: ChainRole[];
}

/**
 * Which model answers each route now, and why the ones before it did not: the dashboard's route rows,
 * read from the metadata of each route's latest finished request. Carries model ids, error codes and
 * skip reasons only (no provider messages).
 */
export class RouteView {
  readonly #clock: Clock;
  readonly #last = new Map<string, RouteLast>();

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  attach(bus: Pick<EventBus, 'on'>): () => void {
    return bus.on(this.#listener);
  }

  /** The latest finished request of every route that has had one. */
  snapshot(): Record<string, RouteLast> {
    return Object.fromEntries(this.#last);
  }

  readonly #listener = (event: SwitchboardEvent): void => {
    try {
      if (event.type === 'request.succeeded') this.#note(event.metadata, true, null);
      else if (event.type === 'request.failed' && event.code !== 'cancelled')
        this.#note(event.metadata, false, event.code);
    } catch {
      // Telemetry never breaks a request.
    }
  };

  #note(meta: ResultMetadata, ok: boolean, code: string | null): void {
    if (meta.route === undefined) return;
    this.#last.set(meta.route, {
      at_ms: this.#clock.now(),
      ok,
      answered_by: ok ? (meta.model ?? null) : null,
      code,
      chain: chainRoles(meta, ok),
    });
  }
}

/** Each model of the walked chain with its part in the request (pure). */
export function chainRoles(meta: ResultMetadata, ok: boolean): ChainRole[] {
  return meta.chain.map((model): ChainRole => {
    if (ok && model === meta.model) return { model, role: 'answered' };
    const skipped = meta.skipped.find((s) => s.model === model);
    if (skipped) return { model, role: 'skipped', why: skipped.reason };
    const failed = meta.attempts.filter((a) => a.model === model && a.outcome !== 'success');
    const lastFailure = failed[failed.length - 1];
    if (lastFailure) {
      return {
        model,
        role: 'failed',
        why: lastFailure.errorCode ?? lastFailure.errorKind ?? lastFailure.outcome,
      };
    }
    return { model, role: 'not_tried' };
  });
}
