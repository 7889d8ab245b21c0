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
  /** The live samples sorted ascending, kept until the next `record`; percentiles read it. */
  sorted: Float64Array | undefined;
}

/**
 * Observed latency per model, in ms: an EWMA (for the `fastest` strategy) and the last `windowSize`
 * samples (for hedging after a percentile). Recording is O(1) and allocates nothing once a model has
 * been seen; a percentile sorts the window once per new sample (O(n log n), n <= windowSize).
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
      stats = { ewmaMs: ms, ring: new Float64Array(this.windowSize), next: 0, count: 0, sorted: undefined };
      this.#models.set(model, stats);
    } else {
      stats.ewmaMs += this.alpha * (ms - stats.ewmaMs);
    }
    stats.ring[stats.next] = ms;
    stats.next = (stats.next + 1) % this.windowSize;
    if (stats.count < this.windowSize) stats.count++;
    stats.sorted = undefined;
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
    // Entries 0..count-1 are exactly the live ones, full ring or not; a typed-array sort is numeric.
    stats.sorted ??= stats.ring.slice(0, stats.count).sort();
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
