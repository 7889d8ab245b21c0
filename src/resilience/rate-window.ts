import type { Clock } from '../common/clock.js';
import type { SharedTally } from './shared-counter.js';

/** Buckets in the window, one per second. */
const BUCKETS = 60;
const BUCKET_MS = 1_000;

/**
 * Usage of one limit per minute (a model's `rpm`: amount 1 per request; its `tpm`: amount = tokens)
 * over a sliding 60 s window, kept as a ring of 60 one-second buckets with a running total: every
 * call is O(1) (at most 60 steps, for `resetAtMs` or when a new second starts), and memory does not
 * grow with traffic.
 *
 * The window is the current second plus the 59 before it (seconds counted from the epoch), so a unit
 * counts for between 59 and 60 s. `add` never refuses: check `wouldExceed` first, and add what was
 * really used afterwards (actual tokens may overshoot an estimate, leaving the window above its
 * limit until they age out). Time that runs backwards is treated as standing still.
 *
 * With a `SharedTally` (the same limit counted by other instances over 60 s), their usage adds to
 * this window's: the limit is the cluster's. Their buckets are not known, so when their usage is
 * what keeps the window full, `resetAtMs` says "the next second".
 */
export class RateWindow {
  /** Units allowed per minute. */
  readonly limitPerMinute: number;
  readonly #clock: Clock;
  readonly #amounts = new Float64Array(BUCKETS);
  /** Index of the newest bucket (floor(now / 1000)); the ring holds buckets `#head - 59 .. #head`. */
  #head = 0;
  #total = 0;
  readonly #shared: SharedTally | undefined;

  /**
   * @param limitPerMinute units allowed per 60 s, a finite number >= 1.
   * @param clock time source.
   * @param shared the other instances' usage of the same limit (none: this instance alone).
   * @throws RangeError when the limit is not a finite number >= 1.
   */
  constructor(limitPerMinute: number, clock: Clock, shared?: SharedTally) {
    if (!Number.isFinite(limitPerMinute) || limitPerMinute < 1)
      throw new RangeError(`limitPerMinute must be a finite number >= 1, got ${limitPerMinute}`);
    this.limitPerMinute = limitPerMinute;
    this.#clock = clock;
    this.#shared = shared;
    this.#head = this.#bucketIndex();
  }

  /**
   * Whether adding `amount` now would take the window above its limit. An amount larger than the
   * whole limit always would (an upstream refuses such a request too). A non-finite or negative
   * amount counts as 0, which asks whether the window is already above its limit.
   */
  wouldExceed(amount = 1): boolean {
    this.#advance();
    return this.#total + this.#others() + sanitize(amount) > this.limitPerMinute;
  }

  /** Counts `amount` units now, even past the limit. A non-finite or negative amount is ignored. */
  add(amount = 1): void {
    const slot = this.#advance();
    const units = sanitize(amount);
    this.#amounts[slot]! += units;
    this.#total += units;
    if (units > 0) this.#shared?.add(units);
  }

  /** Units still available in the window now, >= 0. */
  remaining(): number {
    this.#advance();
    return Math.max(0, this.limitPerMinute - this.#total - this.#others());
  }

  /** Units counted in the window now (other instances' included). */
  used(): number {
    this.#advance();
    return this.#total + this.#others();
  }

  /**
   * When enough usage will have aged out for 1 more unit to fit, in ms since the epoch (the start of
   * a second); undefined when 1 unit fits now. Always defined otherwise, since the limit is >= 1.
   */
  resetAtMs(): number | undefined {
    this.#advance();
    const others = this.#others();
    let excess = this.#total + others + 1 - this.limitPerMinute;
    if (excess <= 0) return undefined;
    // Usage elsewhere alone fills the window: when it ages out is unknown, so look again next second.
    if (others > 0 && excess > this.#total) return (this.#head + 1) * BUCKET_MS;
    // Oldest bucket first: bucket `i` leaves the window when the clock reaches second `i + 60`.
    for (let i = this.#head - BUCKETS + 1; i <= this.#head; i++) {
      excess -= this.#amounts[mod(i)]!;
      if (excess <= 0) return (i + BUCKETS) * BUCKET_MS;
    }
    // Only float rounding lands here: once every bucket has aged out the window is empty.
    return (this.#head + BUCKETS) * BUCKET_MS;
  }

  #others(): number {
    return this.#shared?.others() ?? 0;
  }

  #bucketIndex(): number {
    const index = Math.floor(this.#clock.now() / BUCKET_MS);
    // A clock that returns garbage must not poison the ring: it reads as "no time passed".
    return Number.isFinite(index) ? index : this.#head;
  }

  /** Moves the ring to the current second, emptying the buckets that left the window; returns its slot. */
  #advance(): number {
    const index = this.#bucketIndex();
    if (index > this.#head) {
      if (index - this.#head >= BUCKETS) {
        this.#amounts.fill(0);
        this.#total = 0;
      } else {
        for (let i = this.#head + 1; i <= index; i++) this.#amounts[mod(i)] = 0;
        // Re-summed rather than subtracted, so fractional amounts leave no rounding dust behind; this
        // runs at most once per second of clock time, over 60 buckets.
        let total = 0;
        for (const amount of this.#amounts) total += amount;
        this.#total = total;
      }
      this.#head = index;
    }
    return mod(this.#head);
  }
}

function sanitize(amount: number): number {
  return Number.isFinite(amount) && amount > 0 ? amount : 0;
}

/** Ring slot of a bucket index (which may be negative before 1970). */
function mod(index: number): number {
  return ((index % BUCKETS) + BUCKETS) % BUCKETS;
}
