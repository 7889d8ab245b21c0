/** Options of a LatencyStats; every field has a default. */
export interface LatencyStatsOptions {
  /** EWMA weight of the newest sample, in (0, 1]; default 0.2 (higher follows changes faster). */
  alpha?: number;
  /** Recent samples kept per model for percentiles, an integer >= 1; default 100. */
  windowSize?: number;
  /** Samples needed before `percentileMs` answers, an integer in 1..windowSize; default 5. */
  minSamples?: number;
}

interface ModelLatency {
  /** Exponentially weighted moving average, ms. */
  ewmaMs: number;
  /** The last `windowSize` samples, ms, in a ring. */
  readonly ring: Float64Array;
  /** Where the next sample goes. */
  next: number;
  count: number;
  /** The live samples sorted ascending (entries 0..count-1), kept in step by `record`. */
  readonly sorted: Float64Array;
}

/**
 * Observed latency per model, in ms: an EWMA (for the `fastest` strategy) and the last `windowSize`
 * samples (for hedging after a percentile, and adaptive timeouts, which ask on every request).
 * Recording allocates nothing once a model has been seen: the window is kept sorted as it moves (a
 * binary search and a move of at most `windowSize` numbers), so a percentile is a lookup.
 *
 * One instance measures one thing. Time to first token and total latency differ by orders of
 * magnitude between streams and non-streams, so keep them apart with two instances: e.g. one fed
 * with time to first token (streams) or full latency (non-streams), which `fastest` and hedging
 * read, and another with total latency, for reporting.
 */
export class LatencyStats {
  readonly alpha: number;
  readonly windowSize: number;
  readonly minSamples: number;
  readonly #models = new Map<string, ModelLatency>();

  /** @throws RangeError when an option is out of range. */
  constructor(opts: LatencyStatsOptions = {}) {
    const { alpha = 0.2, windowSize = 100, minSamples = 5 } = opts;
    if (!(alpha > 0 && alpha <= 1)) throw new RangeError(`alpha must be in (0, 1], got ${alpha}`);
    if (!Number.isInteger(windowSize) || windowSize < 1)
      throw new RangeError(`windowSize must be an integer >= 1, got ${windowSize}`);
    if (!Number.isInteger(minSamples) || minSamples < 1 || minSamples > windowSize)
      throw new RangeError(`minSamples must be an integer in 1..${windowSize}, got ${minSamples}`);
    this.alpha = alpha;
    this.windowSize = windowSize;
    this.minSamples = minSamples;
  }

  /** Adds one observation of `model`, in ms. A non-finite or negative value is ignored. */
  record(model: string, ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) return;
    let stats = this.#models.get(model);
    if (stats === undefined) {
      const size = this.windowSize;
      stats = { ewmaMs: ms, ring: new Float64Array(size), next: 0, count: 0, sorted: new Float64Array(size) };
      this.#models.set(model, stats);
    } else {
      stats.ewmaMs += this.alpha * (ms - stats.ewmaMs);
    }
    const { sorted } = stats;
    if (stats.count === this.windowSize) {
      // The sample about to be overwritten leaves the sorted window.
      const gone = lowerBound(sorted, stats.count, stats.ring[stats.next] as number);
      sorted.copyWithin(gone, gone + 1, stats.count);
      stats.count--;
    }
    const at = lowerBound(sorted, stats.count, ms);
    sorted.copyWithin(at + 1, at, stats.count);
    sorted[at] = ms;
    stats.count++;
    stats.ring[stats.next] = ms;
    stats.next = (stats.next + 1) % this.windowSize;
  }

  /** The EWMA of `model`'s latency, ms (its first sample, at first); undefined before any sample. */
  ewmaMs(model: string): number | undefined {
    return this.#models.get(model)?.ewmaMs;
  }

  /**
   * The nearest-rank percentile `p` (0..100, e.g. 95) of `model`'s recent samples, ms: the smallest
   * sample with at least p % of the samples at or below it. A `p` outside 0..100 is clamped (0 gives
   * the minimum). Undefined before `minSamples` samples, or when `p` is NaN.
   */
  percentileMs(model: string, p: number): number | undefined {
    const stats = this.#models.get(model);
    if (stats === undefined || stats.count < this.minSamples || Number.isNaN(p)) return undefined;
    const n = stats.count;
    // Multiplying first keeps whole p exact (57 / 100 × 100 is 56.99…); the tolerance absorbs the
    // rounding of decimal ones such as 99.9.
    const rank = Math.min(n, Math.max(1, Math.ceil((p * n) / 100 - 1e-9)));
    return stats.sorted[rank - 1];
  }

  /** Samples of `model` in the percentile window now (at most `windowSize`). */
  samples(model: string): number {
    return this.#models.get(model)?.count ?? 0;
  }
}

/** The first index in `sorted[0..count)` whose value is >= `value`. */
function lowerBound(sorted: Float64Array, count: number, value: number): number {
  let lo = 0;
  let hi = count;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
