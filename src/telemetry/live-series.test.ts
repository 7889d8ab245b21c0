import { describe, expect, it } from 'vitest';
import { ManualClock } from '../common/manual-clock.js';
import { freshMetadata, type ResultMetadata } from '../routing/metadata.js';
import { LiveSeries } from './live-series.js';
import { chainRoles } from './route-view.js';

describe('LiveSeries', () => {
  it('buckets verdicts and durations in time, empty buckets included, oldest first', async () => {
    const clock = new ManualClock(100_000);
    const series = new LiveSeries(['a'], clock, { bucketMs: 10_000, buckets: 3 });
    series.record('a', true, 100);
    series.record('a', false, 300);
    await clock.advance(20_000);
    series.record('a', true, 50);
    const snap = series.snapshot('a');
    expect(snap?.points.map((p) => [p.t, p.attempts, p.success_rate, p.p50_ms, p.p95_ms])).toEqual([
      [100_000, 2, 0.5, 100, 300],
      [110_000, 0, null, null, null],
      [120_000, 1, 1, 50, 50],
    ]);
  });

  it('forgets buckets older than the window', async () => {
    const clock = new ManualClock(0);
    const series = new LiveSeries(['a'], clock, { bucketMs: 1_000, buckets: 2 });
    series.record('a', true, 1);
    await clock.advance(5_000);
    expect(series.snapshot('a')?.points.every((p) => p.attempts === 0)).toBe(true);
  });

  it('requests per second over the last full bucket and the one in progress', async () => {
    const clock = new ManualClock(0);
    const series = new LiveSeries(['a'], clock, { bucketMs: 10_000, buckets: 3 });
    for (let i = 0; i < 10; i++) series.record('a', true, 1);
    await clock.advance(15_000);
    for (let i = 0; i < 5; i++) series.record('a', true, 1);
    // 15 attempts over the 15 s since the previous bucket began.
    expect(series.snapshot('a')?.requests_per_s).toBe(1);
  });

  it('keeps a bounded sample per bucket, and a broken stream turns a success into a failure', () => {
    const clock = new ManualClock(0);
    const series = new LiveSeries(['a'], clock, { bucketMs: 10_000, buckets: 1, maxSamplesPerBucket: 4 });
    for (let i = 1; i <= 10; i++) series.record('a', true, i);
    series.markStreamBroken('a');
    const [point] = series.snapshot('a')?.points ?? [];
    expect(point?.attempts).toBe(10);
    expect(point?.success_rate).toBe(0.9);
    // The ring holds the last 4 durations: 7..10.
    expect(point?.p50_ms).toBe(8);
    expect(point?.p95_ms).toBe(10);
  });

  it('ignores unknown models', () => {
    const series = new LiveSeries(['a'], new ManualClock());
    series.record('zzz', true, 1);
    expect(series.snapshot('zzz')).toBeUndefined();
  });
});

describe('chainRoles', () => {
  const meta = (over: Partial<ResultMetadata>): ResultMetadata => ({
    ...freshMetadata('r', ['a', 'b', 'c', 'd'], undefined),
    latencyMs: 1,
    ...over,
  });

  it('marks the answering model, the skipped and failed ones with why, and the rest not tried', () => {
    const m = meta({
      model: 'c',
      skipped: [{ model: 'a', reason: 'breaker_open', untilMs: 5 }],
      attempts: [
        {
          model: 'b',
          provider: 'p',
          outcome: 'error',
          status: 503,
          errorCode: 'http_503',
          durationMs: 1,
          waitBeforeMs: 0,
        },
        { model: 'c', provider: 'p', outcome: 'success', durationMs: 1, waitBeforeMs: 0 },
      ],
    });
    expect(chainRoles(m, true)).toEqual([
      { model: 'a', role: 'skipped', why: 'breaker_open' },
      { model: 'b', role: 'failed', why: 'http_503' },
      { model: 'c', role: 'answered' },
      { model: 'd', role: 'not_tried' },
    ]);
  });

  it('a failed request has no answering model', () => {
    const m = meta({
      attempts: [{ model: 'a', provider: 'p', outcome: 'timeout', durationMs: 1, waitBeforeMs: 0 }],
    });
    expect(chainRoles(m, false)[0]).toEqual({ model: 'a', role: 'failed', why: 'timeout' });
  });
});
