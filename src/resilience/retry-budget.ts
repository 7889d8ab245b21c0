import type { Clock } from '../common/clock.js';
import type { RetryBudgetConfig } from '../config/types.js';
import { type SharedCounter, type SharedTally, sharedTally } from './shared-counter.js';

/** How many buckets the sliding window is cut into. */
const BUCKETS = 10;

/** Point-in-time view of a retry budget, for metrics and status pages. */
export interface RetryBudgetSnapshot {
  /** Requests recorded inside the window (with a shared counter: on every instance). */
  requests: number;
  /** Retries and hedges granted inside the window (with a shared counter: on every instance). */
  retries: number;
  /** Retries and hedges the window allows in all: max(minRetriesPerWindow, floor(ratio × requests)). */
  allowed: number;
}

/**
 * A process-wide cap on retries and hedges, so that a struggling upstream is not hit with a multiple
 * of its normal load (the retry budgets of Envoy and Finagle, the Google SRE book's per-client retry
 * ratio). Over a sliding window of `windowMs`, at most `max(minRetriesPerWindow, floor(ratio ×
 * requests))` retries are granted: the floor lets low traffic still retry, the ratio bounds the extra
 * load under high traffic.
 *
 * Call `recordRequest()` once per client request (not per attempt), and `tryAcquire()` before each
 * retry or hedge: it grants and counts one, or refuses. A refused retry should end the request with
 * the error in hand (or move on without waiting), not wait for the budget.
 *
 * The window is a ring of 10 buckets of `windowMs / 10` each, with running totals: every call is O(1)
 * and memory does not grow with traffic. The window is the current bucket plus the 9 before it, so
 * an event counts for between 0.9 × and 1 × `windowMs`. Time that runs backwards is treated as
 * standing still.
 *
 * With a `SharedCounter`, the budget is a cluster's: the requests and retries other instances counted
 * over the window (as last read, a fraction of a second old) add to this instance's, so the floor
 * and the ratio bound the cluster's retries, not each instance's.
 */
export class RetryBudget {
  readonly #clock: Clock;
  readonly #ratio: number;
  readonly #minRetries: number;
  readonly #bucketMs: number;
  readonly #requests = new Float64Array(BUCKETS);
  readonly #retries = new Float64Array(BUCKETS);
  /** Index of the newest bucket (floor(now / bucketMs)); the ring holds buckets `#head - 9 ..#head`. */
  #head = 0;
  #requestTotal = 0;
  #retryTotal = 0;
  readonly #sharedRequests: SharedTally | undefined;
  readonly #sharedRetries: SharedTally | undefined;

  /**
   * @param config `windowMs` (ms, finite and > 0), `ratio` (retries per request, >= 0) and
   *   `minRetriesPerWindow` (>= 0, rounded down). A ratio or floor that is not a finite number >= 0
   *   counts as 0.
   * @param clock time source.
   * @param shared where other instances' requests and retries are counted (none: this instance alone).
   * @throws RangeError when `windowMs` is not a finite number > 0.
   */
  constructor(config: RetryBudgetConfig, clock: Clock, shared?: SharedCounter) {
    if (!Number.isFinite(config.windowMs) || config.windowMs <= 0)
      throw new RangeError(`retry budget windowMs must be a finite number > 0, got ${config.windowMs}`);
    this.#clock = clock;
    this.#ratio = nonNegative(config.ratio);
    this.#minRetries = Math.floor(nonNegative(config.minRetriesPerWindow));
    this.#bucketMs = config.windowMs / BUCKETS;
    this.#head = this.#bucketIndex();
    if (shared) {
      this.#sharedRequests = sharedTally(shared, 'retry_budget:requests', config.windowMs);
      this.#sharedRetries = sharedTally(shared, 'retry_budget:retries', config.windowMs);
    }
  }

  /** Counts one client request, which earns `ratio` of a retry for the length of the window. */
  recordRequest(): void {
    const slot = this.#advance();
    this.#requests[slot]! += 1;
    this.#requestTotal += 1;
    this.#sharedRequests?.add(1);
  }

  /**
   * Asks for one retry or hedge. When the window's retries are below `allowed`, counts one and
   * returns true; otherwise returns false and counts nothing.
   */
  tryAcquire(): boolean {
    const slot = this.#advance();
    if (this.#retriesNow() >= this.#allowed()) return false;
    this.#retries[slot]! += 1;
    this.#retryTotal += 1;
    this.#sharedRetries?.add(1);
    return true;
  }

  /** The window's counts now (a fresh object). */
  snapshot(): RetryBudgetSnapshot {
    this.#advance();
    return { requests: this.#requestsNow(), retries: this.#retriesNow(), allowed: this.#allowed() };
  }

  #requestsNow(): number {
    return this.#requestTotal + (this.#sharedRequests?.others() ?? 0);
  }

  #retriesNow(): number {
    return this.#retryTotal + (this.#sharedRetries?.others() ?? 0);
  }

  #allowed(): number {
    return Math.max(this.#minRetries, Math.floor(this.#ratio * this.#requestsNow()));
  }

  #bucketIndex(): number {
    const index = Math.floor(this.#clock.now() / this.#bucketMs);
    // A clock that returns garbage must not poison the ring: it reads as "no time passed".
    return Number.isFinite(index) ? index : this.#head;
  }

  /** Moves the ring to the current bucket, emptying the ones that left the window; returns its slot. */
  #advance(): number {
    const index = this.#bucketIndex();
    if (index > this.#head) {
      if (index - this.#head >= BUCKETS) {
        this.#requests.fill(0);
        this.#retries.fill(0);
        this.#requestTotal = 0;
        this.#retryTotal = 0;
      } else {
        for (let i = this.#head + 1; i <= index; i++) {
          const slot = mod(i);
          this.#requestTotal -= this.#requests[slot]!;
          this.#retryTotal -= this.#retries[slot]!;
          this.#requests[slot] = 0;
          this.#retries[slot] = 0;
        }
      }
      this.#head = index;
    }
    return mod(this.#head);
  }
}

function nonNegative(n: number): number {
  return Number.isFinite(n) && n > 0 ? n : 0;
}

/** Ring slot of a bucket index (which may be negative before 1970). */
function mod(index: number): number {
  return ((index % BUCKETS) + BUCKETS) % BUCKETS;
}
