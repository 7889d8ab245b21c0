/** Latency percentiles in ms, nearest-rank. */
export interface LatencyPercentiles {
  p50: number;
  p95: number;
}

/**
 * The last `size` attempt verdicts (success or not) and durations of one model, in a fixed-size ring
 * buffer: recording allocates nothing, the oldest entry is overwritten once the ring is full, and the
 * statistics are computed only when asked for.
 */
export class AttemptWindow {
  readonly size: number;
  readonly #durationsMs: Float64Array;
  readonly #ok: Uint8Array;
  /** Where the next entry goes. */
  #next = 0;
  #count = 0;

  /** @param size how many recent attempts to keep (an integer >= 1). */
  constructor(size: number) {
    if (!Number.isInteger(size) || size < 1)
      throw new RangeError(`window size must be an integer >= 1, got ${size}`);
    this.size = size;
    this.#durationsMs = new Float64Array(size);
    this.#ok = new Uint8Array(size);
  }

  /** Attempts currently in the window. */
  get count(): number {
    return this.#count;
  }

  /** Adds one attempt, evicting the oldest when full. A non-finite or negative duration counts as 0. */
  record(success: boolean, durationMs: number): void {
    this.#durationsMs[this.#next] = Number.isFinite(durationMs) && durationMs > 0 ? durationMs : 0;
    this.#ok[this.#next] = success ? 1 : 0;
    this.#next = (this.#next + 1) % this.size;
    if (this.#count < this.size) this.#count++;
  }

  /**
   * Turns the newest success still in the window into a failure, keeping its duration (a stream that
   * opened fine and broke later). Returns false when the window holds no success.
   */
  markLatestSuccessFailed(): boolean {
    for (let i = 1; i <= this.#count; i++) {
      const index = (this.#next - i + this.size) % this.size;
      if (this.#ok[index] === 1) {
        this.#ok[index] = 0;
        return true;
      }
    }
    return false;
  }

  /** Share of successful attempts in the window, 0..1; null when it is empty. */
  successRate(): number | null {
    if (this.#count === 0) return null;
    let ok = 0;
    for (let i = 0; i < this.#count; i++) ok += this.#ok[i]!;
    return ok / this.#count;
  }

  /** p50 and p95 of the durations in the window (nearest-rank); null when it is empty. */
  latencyPercentiles(): LatencyPercentiles | null {
    if (this.#count === 0) return null;
    // Entries 0..count-1 are exactly the live ones, full ring or not; a typed-array sort is numeric.
    const sorted = this.#durationsMs.slice(0, this.#count).sort();
    return { p50: nearestRank(sorted, 0.5), p95: nearestRank(sorted, 0.95) };
  }
}

/** The nearest-rank percentile `p` (0..1) of ascending `sorted`, which must not be empty. */
export function nearestRank(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  const rank = Math.min(n, Math.max(1, Math.ceil(p * n)));
  return sorted[rank - 1]!;
}
