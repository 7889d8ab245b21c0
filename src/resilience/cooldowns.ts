import type { Clock } from '../common/clock.js';

/**
 * Deadlines before which a key (a model id) should not be tried, e.g. after a long Retry-After.
 * A deadline is active while `now() < untilMs`; expired ones are forgotten lazily.
 */
export class Cooldowns {
  readonly #clock: Clock;
  readonly #untilMs = new Map<string, number>();

  /** @param clock time source. */
  constructor(clock: Clock) {
    this.#clock = clock;
  }

  /**
   * Cools `key` down until `untilMs` (ms since the epoch). The later of the existing and the new
   * deadline wins; a deadline already passed, or not finite, is ignored.
   *
   * @returns true if the key's active deadline moved.
   */
  coolDown(key: string, untilMs: number): boolean {
    if (!Number.isFinite(untilMs) || untilMs <= this.#clock.now()) return false;
    const current = this.until(key);
    if (current !== undefined && current >= untilMs) return false;
    this.#untilMs.set(key, untilMs);
    return true;
  }

  /** The active deadline for `key`, ms since the epoch; undefined if none or it has passed. */
  until(key: string): number | undefined {
    const untilMs = this.#untilMs.get(key);
    if (untilMs === undefined) return undefined;
    if (untilMs > this.#clock.now()) return untilMs;
    this.#untilMs.delete(key);
    return undefined;
  }

  /** Whether `key` has an active deadline. */
  isCoolingDown(key: string): boolean {
    return this.until(key) !== undefined;
  }

  /** Active deadlines by key, ms since the epoch (a fresh object; expired keys are dropped). */
  snapshot(): Record<string, number> {
    const nowMs = this.#clock.now();
    const active: Array<[string, number]> = [];
    for (const [key, untilMs] of this.#untilMs) {
      if (untilMs > nowMs) active.push([key, untilMs]);
      else this.#untilMs.delete(key);
    }
    // fromEntries defines own properties, so even a key named `__proto__` survives.
    return Object.fromEntries(active);
  }
}
