import type { Clock } from '../common/clock.js';
import type { SharedState } from '../routing/health/shared-state.js';
import type { EventBus, SwitchboardEvent } from '../routing/index.js';

/** The latest shared change of one model's breaker, and which instance made it. */
export interface BreakerOrigin {
  state: 'open' | 'closed';
  /** Instance id of the one that opened or closed it. */
  by: string;
  /** ms since the epoch. */
  at_ms: number;
}

/** The cluster's breakers as this instance learnt them, and the instances it has heard from. */
export interface ClusterView {
  /** This instance. */
  instance: string;
  /** Instances seen through the shared state (this one included), sorted. */
  instances: string[];
  /** Only models whose breaker has changed since this instance started. */
  breakers: Record<string, BreakerOrigin>;
}

/**
 * Who opened and closed each breaker of the cluster: local changes come from the engine's
 * `breaker.transition` events, the others' from the shared state's remote events (which name the
 * instance). Breakers themselves are already shared, so every instance's state is the cluster's; this
 * adds the origin the dashboard shows beside it.
 */
export class BreakerOrigins {
  readonly #clock: Clock;
  readonly #self: string;
  readonly #instances = new Set<string>();
  readonly #breakers = new Map<string, BreakerOrigin>();

  constructor(selfInstanceId: string, clock: Clock) {
    this.#clock = clock;
    this.#self = selfInstanceId;
    this.#instances.add(selfInstanceId);
  }

  /** Listens to the engine (local changes) and to the shared state (the others'). */
  attach(bus: Pick<EventBus, 'on'>, shared: Pick<SharedState, 'onRemote'>): () => void {
    const offBus = bus.on(this.#onEvent);
    const offRemote = shared.onRemote((event) => {
      try {
        this.#instances.add(event.instanceId);
        if (event.type !== 'breaker') return;
        const current = this.#breakers.get(event.model);
        if (current && current.at_ms > event.change.atMs) return;
        this.#breakers.set(event.model, {
          state: event.change.state,
          by: event.instanceId,
          at_ms: event.change.atMs,
        });
      } catch {
        // Telemetry never breaks a request.
      }
    });
    return () => {
      offBus();
      offRemote();
    };
  }

  snapshot(): ClusterView {
    return {
      instance: this.#self,
      instances: [...this.#instances].sort(),
      breakers: Object.fromEntries(this.#breakers),
    };
  }

  readonly #onEvent = (event: SwitchboardEvent): void => {
    if (event.type !== 'breaker.transition' || event.remote) return;
    if (event.to === 'half_open') return; // never shared: each instance derives it
    this.#breakers.set(event.model, { state: event.to, by: this.#self, at_ms: this.#clock.now() });
  };
}
