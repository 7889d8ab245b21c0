import type { Clock } from '../common/clock.js';
import type { EventBus, SwitchboardEvent } from '../routing/index.js';
import { nearestRank } from './attempt-window.js';

/** One time bucket of one model, as the dashboard's sparklines draw it. */
export interface SeriesPoint {
  /** Start of the bucket, ms since the epoch. */
  t: number;
  /** Attempts with a verdict that ended in the bucket (cancelled ones are left out). */
  attempts: number;
  /** 0..1; null when the bucket holds no attempt. */
  success_rate: number | null;
  /** Nearest-rank over the bucket's attempts (failures included); null when empty. */
  p50_ms: number | null;
  p95_ms: number | null;
}

/** The recent history of one model. */
export interface ModelSeries {
  bucket_ms: number;
  /** Oldest first; the last point is the bucket in progress. */
  points: SeriesPoint[];
  /** Attempts per second over the last full bucket and the one in progress. */
  requests_per_s: number;
}

/** Options for {@link LiveSeries}. */
export interface LiveSeriesOptions {
  /** Width of one bucket (default 5 s). */
  bucketMs?: number;
  /** Buckets kept, the one in progress included (default 36: three minutes at 5 s). */
  buckets?: number;
  /** Durations kept per bucket for the percentiles (default 256; later ones overwrite in a ring). */
  maxSamplesPerBucket?: number;
}

const DEFAULTS = {
  bucketMs: 5_000, // 5s
  buckets: 36, // 3 min of history at 5s
  maxSamplesPerBucket: 256,
} as const;

interface Bucket {
  startMs: number;
  attempts: number;
  ok: number;
  durationsMs: number[];
  /** Where the next duration goes once `durationsMs` is full. */
  nextSample: number;
}

/**
 * Per-model success rate, latency percentiles and request rate in fixed time buckets over the last
 * minutes, fed by the engine's events: what the dashboard draws as sparklines. `ModelStats` keeps the
 * last N attempts for `/status`; this keeps time, so an idle model's line goes quiet instead of
 * freezing on its last attempts. Memory is bounded: buckets × samples per model.
 */
export class LiveSeries {
  readonly #clock: Clock;
  readonly #bucketMs: number;
  readonly #buckets: number;
  readonly #maxSamples: number;
  /** Per model: the live buckets, oldest first. */
  readonly #series = new Map<string, Bucket[]>();

  /** @param models the configured model ids (others are ignored). */
  constructor(models: readonly string[], clock: Clock, options: LiveSeriesOptions = {}) {
    this.#clock = clock;
    this.#bucketMs = options.bucketMs ?? DEFAULTS.bucketMs;
    this.#buckets = options.buckets ?? DEFAULTS.buckets;
    this.#maxSamples = options.maxSamplesPerBucket ?? DEFAULTS.maxSamplesPerBucket;
    for (const model of models) this.#series.set(model, []);
  }

  /** Subscribes to the engine's events; returns the unsubscribe function. */
  attach(bus: Pick<EventBus, 'on'>): () => void {
    return bus.on(this.#listener);
  }

  /** Records one attempt's verdict and duration at the clock's now. */
  record(model: string, ok: boolean, durationMs: number): void {
    const bucket = this.#current(model);
    if (!bucket) return;
    bucket.attempts++;
    if (ok) bucket.ok++;
    const ms = Number.isFinite(durationMs) && durationMs > 0 ? durationMs : 0;
    if (bucket.durationsMs.length < this.#maxSamples) bucket.durationsMs.push(ms);
    else {
      bucket.durationsMs[bucket.nextSample] = ms;
      bucket.nextSample = (bucket.nextSample + 1) % this.#maxSamples;
    }
  }

  /** A stream that opened (a success) broke after content was sent: one success becomes a failure. */
  markStreamBroken(model: string): void {
    const bucket = this.#current(model);
    if (bucket && bucket.ok > 0) bucket.ok--;
  }

  /** The model's last minutes, every bucket present (empty ones with nulls); undefined if unknown. */
  snapshot(model: string): ModelSeries | undefined {
    const buckets = this.#series.get(model);
    if (!buckets) return undefined;
    const nowMs = this.#clock.now();
    const currentStart = this.#startOf(nowMs);
    this.#evict(buckets, currentStart);
    const byStart = new Map(buckets.map((b) => [b.startMs, b]));
    const points: SeriesPoint[] = [];
    for (let i = this.#buckets - 1; i >= 0; i--) {
      const t = currentStart - i * this.#bucketMs;
      points.push(toPoint(t, byStart.get(t)));
    }
    const current = byStart.get(currentStart)?.attempts ?? 0;
    const previous = byStart.get(currentStart - this.#bucketMs)?.attempts ?? 0;
    const spanS = (nowMs - (currentStart - this.#bucketMs)) / 1000;
    const requestsPerS = spanS > 0 ? Math.round(((current + previous) / spanS) * 100) / 100 : 0;
    return { bucket_ms: this.#bucketMs, points, requests_per_s: requestsPerS };
  }

  readonly #listener = (event: SwitchboardEvent): void => {
    try {
      if (event.type === 'attempt.succeeded') this.record(event.model, true, event.durationMs);
      else if (event.type === 'attempt.failed' && event.outcome !== 'cancelled')
        this.record(event.model, false, event.durationMs);
      else if (event.type === 'request.failed' && event.code === 'stream_interrupted') {
        const last = event.metadata.attempts[event.metadata.attempts.length - 1];
        if (last) this.markStreamBroken(last.model);
      }
    } catch {
      // Telemetry never breaks a request.
    }
  };

  #startOf(ms: number): number {
    return Math.floor(ms / this.#bucketMs) * this.#bucketMs;
  }

  /** The bucket in progress for `model`, created (and old ones dropped) as time moves on. */
  #current(model: string): Bucket | undefined {
    const buckets = this.#series.get(model);
    if (!buckets) return undefined;
    const startMs = this.#startOf(this.#clock.now());
    const last = buckets[buckets.length - 1];
    if (last && last.startMs === startMs) return last;
    const bucket: Bucket = { startMs, attempts: 0, ok: 0, durationsMs: [], nextSample: 0 };
    buckets.push(bucket);
    this.#evict(buckets, startMs);
    return bucket;
  }

  #evict(buckets: Bucket[], currentStart: number): void {
    const oldest = currentStart - (this.#buckets - 1) * this.#bucketMs;
    while (buckets.length > 0 && (buckets[0] as Bucket).startMs < oldest) buckets.shift();
  }
}

function toPoint(t: number, bucket: Bucket | undefined): SeriesPoint {
  if (!bucket || bucket.attempts === 0)
    return { t, attempts: 0, success_rate: null, p50_ms: null, p95_ms: null };
  const sorted = Float64Array.from(bucket.durationsMs).sort();
  const round = (ms: number) => Math.round(ms * 10) / 10;
  return {
    t,
    attempts: bucket.attempts,
    success_rate: bucket.ok / bucket.attempts,
    p50_ms: sorted.length > 0 ? round(nearestRank(sorted, 0.5)) : null,
    p95_ms: sorted.length > 0 ? round(nearestRank(sorted, 0.95)) : null,
  };
}
