import type { Clock } from '../common/clock.js';

/** How many buckets a counter's window is cut into (as the retry budget does). */
export const COUNTER_BUCKETS = 10;

/** Width of one bucket of a window, whole ms. */
export function bucketMsOf(windowMs: number): number {
  return Math.max(1, Math.ceil(windowMs / COUNTER_BUCKETS));
}

/** The buckets of the window ending now, oldest first. */
export function windowBuckets(windowMs: number, nowMs: number): number[] {
  const newest = Math.floor(nowMs / bucketMsOf(windowMs));
  return Array.from({ length: COUNTER_BUCKETS }, (_, i) => newest - COUNTER_BUCKETS + 1 + i);
}

/** An amount this instance counted in one bucket, waiting to be written. */
export interface CounterAdd {
  key: string;
  bucketMs: number;
  bucket: number;
  amount: number;
  /** How long the bucket must be kept: until it has left the window. */
  ttlMs: number;
}

/** A counter whose total over the other instances this instance wants to read. */
export interface CounterWant {
  key: string;
  windowMs: number;
}

interface Pending {
  bucketMs: number;
  bucket: number;
  amount: number;
  ttlMs: number;
}

/**
 * One instance's side of the shared counters: what it added since the last flush (summed per key and
 * bucket, so a flush writes one increment per counter) and the other instances' totals as last read.
 * `add` and `count` touch only memory; the owner drains and refreshes it on a timer.
 */
export class CounterBook {
  readonly #clock: Clock;
  readonly #windows = new Map<string, number>();
  readonly #pending = new Map<string, Pending>();
  #ready: CounterAdd[] = [];
  readonly #others = new Map<string, number>();

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  /** Counts `amount` (a whole number > 0; others are rounded or ignored) for `key` now. */
  add(key: string, amount: number, windowMs: number): void {
    this.#windows.set(key, windowMs);
    const units = Math.round(amount);
    if (!(units > 0) || !Number.isFinite(units)) return;
    const bucketMs = bucketMsOf(windowMs);
    const bucket = Math.floor(this.#clock.now() / bucketMs);
    const pending = this.#pending.get(key);
    if (pending !== undefined && pending.bucket === bucket && pending.bucketMs === bucketMs) {
      pending.amount += units;
      return;
    }
    if (pending !== undefined) this.#ready.push({ key, ...pending });
    this.#pending.set(key, { bucketMs, bucket, amount: units, ttlMs: windowMs + 2 * bucketMs });
  }

  /** The other instances' total for `key` as last read (0 until then); registers it for reading. */
  count(key: string, windowMs: number): number {
    if (this.#windows.get(key) !== windowMs) this.#windows.set(key, windowMs);
    return this.#others.get(key) ?? 0;
  }

  /** Forgets `key`: what is pending and what was read. */
  reset(key: string): void {
    this.#pending.delete(key);
    this.#ready = this.#ready.filter((add) => add.key !== key);
    this.#others.delete(key);
  }

  /** Takes everything added since the last drain. */
  drain(): CounterAdd[] {
    const out = this.#ready;
    this.#ready = [];
    for (const [key, pending] of this.#pending) out.push({ key, ...pending });
    this.#pending.clear();
    return out;
  }

  /** Every counter added to or read from so far. */
  wanted(): CounterWant[] {
    return [...this.#windows].map(([key, windowMs]) => ({ key, windowMs }));
  }

  /** The other instances' total for `key`, as just read. */
  setOthers(key: string, total: number): void {
    if (Number.isFinite(total) && total > 0) this.#others.set(key, total);
    else this.#others.delete(key);
  }

  /** Forgets every total read (the store is unreachable: this instance decides alone). */
  clearOthers(): void {
    this.#others.clear();
  }
}
