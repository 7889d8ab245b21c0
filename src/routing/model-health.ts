import type { Clock } from '../common/clock.js';
import type { SwitchboardConfig } from '../config/types.js';
import { CircuitBreaker, type Permit } from '../resilience/circuit-breaker.js';
import { Cooldowns } from '../resilience/cooldowns.js';
import type { EventBus } from './events.js';
import type { SkipReason } from './metadata.js';

export type Gate = { permit: Permit } | { permit?: undefined; reason: SkipReason; untilMs?: number };

/** Per-model breakers and rate-limit cooldowns of one Switchboard instance. Nothing here is global. */
export class ModelHealth {
  readonly #breakers = new Map<string, CircuitBreaker>();
  readonly #cooldowns: Cooldowns;
  readonly #modelsByProvider = new Map<string, string[]>();

  constructor(
    private readonly config: SwitchboardConfig,
    clock: Clock,
    bus: EventBus,
  ) {
    this.#cooldowns = new Cooldowns(clock);
    for (const model of Object.values(config.models)) {
      const breaker = new CircuitBreaker(model.circuitBreaker, clock, (t) =>
        bus.emit({ type: 'breaker.transition', model: model.id, ...t }),
      );
      this.#breakers.set(model.id, breaker);
      const siblings = this.#modelsByProvider.get(model.provider) ?? [];
      siblings.push(model.id);
      this.#modelsByProvider.set(model.provider, siblings);
    }
  }

  breaker(model: string): CircuitBreaker {
    const breaker = this.#breakers.get(model);
    if (!breaker) throw new Error(`no breaker for model ${model}`);
    return breaker;
  }

  /** Asks to send one attempt to `model`: a permit, or why not and until when. */
  acquire(model: string): Gate {
    const until = this.#cooldowns.until(model);
    if (until !== undefined) return { reason: 'cooling_down', untilMs: until };
    const breaker = this.breaker(model);
    const permit = breaker.tryAcquire();
    if (permit) return { permit };
    return { reason: 'breaker_open', untilMs: breaker.readyAtMs() };
  }

  /** Would `model` accept an attempt now? Does not take the probe slot. */
  isAvailable(model: string): boolean {
    if (this.#cooldowns.isCoolingDown(model)) return false;
    return this.breaker(model).state !== 'open';
  }

  /** Records a rate-limit cooldown; the later deadline wins. Returns true if the deadline moved. */
  coolDown(model: string, untilMs: number): boolean {
    return this.#cooldowns.coolDown(model, untilMs);
  }

  /** A connection-level failure: it counts against every other model served by the same provider. */
  providerConnectFailed(provider: string, exceptModel: string, reason: string): void {
    for (const model of this.#modelsByProvider.get(provider) ?? []) {
      if (model !== exceptModel) this.breaker(model).recordFailure(reason);
    }
  }

  cooldownUntil(model: string): number | undefined {
    return this.#cooldowns.until(model);
  }

  get modelIds(): string[] {
    return Object.keys(this.config.models);
  }
}
