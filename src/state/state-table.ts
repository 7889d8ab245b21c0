import type { Clock } from '../common/clock.js';
import type { SharedBreakerChange } from '../resilience/breaker-types.js';
import type { RemoteStateEvent } from '../routing/index.js';
import { type BreakerRecord, supersedes } from './breaker-record.js';
import { bucketMsOf, type CounterAdd, type CounterWant, windowBuckets } from './counter-book.js';

/**
 * The shared state held in one process, as the primary of `serve --workers` holds it for its workers:
 * the same rules as the Redis scripts (later reopen deadline or newer change wins, later cooldown
 * wins, one probe claim per model with a time to live, counters per instance and time bucket).
 */
export class StateTable {
  readonly #clock: Clock;
  readonly #breakers = new Map<string, BreakerRecord>();
  readonly #cooldowns = new Map<string, number>();
  readonly #probes = new Map<string, { holder: string; untilMs: number }>();
  /** `key|bucketMs` → bucket → instance → count. */
  readonly #counts = new Map<string, Map<number, Map<string, number>>>();

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  /** Stores a breaker change if it supersedes the stored one; otherwise returns the stored one. */
  writeBreaker(model: string, change: SharedBreakerChange, from: string): BreakerRecord | undefined {
    const current = this.#breakers.get(model);
    if (current !== undefined && !supersedes(current, change)) return current;
    this.#breakers.set(model, { ...change, from });
    return undefined;
  }

  /** Stores a cooldown if it is later than the stored one; otherwise returns the stored deadline. */
  writeCooldown(model: string, untilMs: number): number | undefined {
    const current = this.#cooldowns.get(model);
    if (current !== undefined && current >= untilMs && current > this.#clock.now()) return current;
    this.#cooldowns.set(model, untilMs);
    return undefined;
  }

  /** Grants the probe of `model` to `holder` for `ttlMs` unless another holder has a live claim. */
  claimProbe(model: string, holder: string, ttlMs: number): boolean {
    const nowMs = this.#clock.now();
    const claim = this.#probes.get(model);
    if (claim !== undefined && claim.holder !== holder && claim.untilMs > nowMs) return false;
    this.#probes.set(model, { holder, untilMs: nowMs + ttlMs });
    return true;
  }

  /** Ends `holder`'s claim on the probe of `model` (another holder's claim is left alone). */
  releaseProbe(model: string, holder: string): void {
    if (this.#probes.get(model)?.holder === holder) this.#probes.delete(model);
  }

  /** `holder` is gone: its probe claims end. */
  forgetHolder(holder: string): void {
    for (const [model, claim] of this.#probes) if (claim.holder === holder) this.#probes.delete(model);
  }

  addCounts(holder: string, adds: readonly CounterAdd[]): void {
    for (const add of adds) {
      if (!Number.isFinite(add.amount) || add.amount <= 0) continue;
      const slot = `${add.key}|${add.bucketMs}`;
      const buckets = this.#counts.get(slot) ?? new Map<number, Map<string, number>>();
      this.#counts.set(slot, buckets);
      const byHolder = buckets.get(add.bucket) ?? new Map<string, number>();
      buckets.set(add.bucket, byHolder);
      byHolder.set(holder, (byHolder.get(holder) ?? 0) + add.amount);
    }
  }

  /** Per wanted counter: every instance's total over its window but `holder`'s. Drops old buckets. */
  counts(holder: string, wants: readonly CounterWant[]): Array<[string, number]> {
    const nowMs = this.#clock.now();
    return wants.map(({ key, windowMs }) => {
      const buckets = this.#counts.get(`${key}|${bucketMsOf(windowMs)}`);
      if (buckets === undefined) return [key, 0];
      const window = windowBuckets(windowMs, nowMs);
      const oldest = window[0] ?? 0;
      let total = 0;
      for (const [bucket, byHolder] of buckets) {
        if (bucket < oldest) {
          buckets.delete(bucket);
          continue;
        }
        for (const [who, amount] of byHolder) if (who !== holder) total += amount;
      }
      return [key, total];
    });
  }

  /** Forgets a counter (a breaker closed). */
  resetCount(key: string): void {
    for (const slot of this.#counts.keys()) if (slot.startsWith(`${key}|`)) this.#counts.delete(slot);
  }

  /** Every stored breaker record and live cooldown, as events for an instance that (re)joins. */
  snapshot(): RemoteStateEvent[] {
    const nowMs = this.#clock.now();
    const events: RemoteStateEvent[] = [];
    for (const [model, { from, ...change }] of this.#breakers)
      events.push({ type: 'breaker', model, change, instanceId: from });
    for (const [model, untilMs] of this.#cooldowns) {
      if (untilMs > nowMs) events.push({ type: 'cooldown', model, untilMs, instanceId: 'primary' });
      else this.#cooldowns.delete(model);
    }
    return events;
  }
}
