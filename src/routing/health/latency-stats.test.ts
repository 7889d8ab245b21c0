import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LatencyStats, type LatencyStatsOptions } from './latency-stats.js';

function recordAll(stats: LatencyStats, model: string, samples: readonly number[]): void {
  for (const ms of samples) stats.record(model, ms);
}

/** 1, 2, …, n */
const oneTo = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

describe('LatencyStats', () => {
  it('knows nothing of unseen models', () => {
    const stats = new LatencyStats();
    expect(stats.ewmaMs('gpt-4o')).toBeUndefined();
    expect(stats.percentileMs('gpt-4o', 95)).toBeUndefined();
    expect(stats.samples('gpt-4o')).toBe(0);
  });

  it('starts the EWMA at the first sample, then weighs new samples by alpha', () => {
    const stats = new LatencyStats({ alpha: 0.5 });
    stats.record('m', 100);
    expect(stats.ewmaMs('m')).toBe(100);
    stats.record('m', 200);
    expect(stats.ewmaMs('m')).toBe(150);
    stats.record('m', 50);
    expect(stats.ewmaMs('m')).toBe(100);
  });

  it('uses alpha 0.2 by default', () => {
    const stats = new LatencyStats();
    stats.record('m', 1_000);
    stats.record('m', 2_000);
    expect(stats.ewmaMs('m')).toBeCloseTo(1_200, 9);
  });

  it('follows only the newest sample with alpha 1', () => {
    const stats = new LatencyStats({ alpha: 1 });
    recordAll(stats, 'm', [10, 500, 30]);
    expect(stats.ewmaMs('m')).toBe(30);
  });

  it('answers percentiles only from minSamples on', () => {
    const stats = new LatencyStats({ minSamples: 3 });
    stats.record('m', 10);
    stats.record('m', 20);
    expect(stats.samples('m')).toBe(2);
    expect(stats.percentileMs('m', 50)).toBeUndefined();
    expect(stats.ewmaMs('m')).toBeDefined();
    stats.record('m', 30);
    expect(stats.percentileMs('m', 50)).toBe(20);
  });

  it.each<[string, readonly number[], number, number | undefined]>([
    // name, samples (any order), p, expected (nearest rank)
    ['p50 of 1..100', oneTo(100), 50, 50],
    ['p95 of 1..100', oneTo(100), 95, 95],
    ['p99 of 1..100', oneTo(100), 99, 99],
    ['p100 is the maximum', oneTo(100), 100, 100],
    ['p0 is the minimum', oneTo(100), 0, 1],
    ['p1 of 1..100', oneTo(100), 1, 1],
    ['p57 of 1..100 (57/100 × 100 rounds below 57)', oneTo(100), 57, 57],
    ['p29 of 1..100', oneTo(100), 29, 29],
    ['p99.9 of 1..100 rounds up to the maximum', oneTo(100), 99.9, 100],
    ['p95 of 5 samples is the largest', [50, 10, 40, 20, 30], 95, 50],
    ['p50 of 5 samples, unsorted', [50, 10, 40, 20, 30], 50, 30],
    ['p20 of 5 samples is the smallest', [50, 10, 40, 20, 30], 20, 10],
    ['p21 of 5 samples', [50, 10, 40, 20, 30], 21, 20],
    ['all equal', [7, 7, 7, 7, 7], 95, 7],
    ['negative p clamps to the minimum', [5, 1, 4, 2, 3], -10, 1],
    ['p above 100 clamps to the maximum', [5, 1, 4, 2, 3], 250, 5],
    ['p Infinity', [5, 1, 4, 2, 3], Number.POSITIVE_INFINITY, 5],
    ['p NaN', [5, 1, 4, 2, 3], Number.NaN, undefined],
    ['sub-millisecond samples', [0.5, 0.25, 0.75, 1.5, 1], 50, 0.75],
    ['zero is a sample', [0, 0, 0, 0, 100], 80, 0],
    ['numeric, not lexicographic, order', [9, 10, 100, 1_000, 2], 40, 9],
  ])('%s', (_name, samples, p, expected) => {
    const stats = new LatencyStats();
    recordAll(stats, 'm', samples);
    expect(stats.percentileMs('m', p)).toBe(expected);
  });

  it('keeps only the last windowSize samples for percentiles', () => {
    const stats = new LatencyStats({ windowSize: 10, minSamples: 5 });
    recordAll(stats, 'm', Array(10).fill(1_000));
    expect(stats.percentileMs('m', 50)).toBe(1_000);
    recordAll(stats, 'm', oneTo(10));
    expect(stats.samples('m')).toBe(10);
    expect(stats.percentileMs('m', 100)).toBe(10);
    expect(stats.percentileMs('m', 50)).toBe(5);
    stats.record('m', 99);
    expect(stats.percentileMs('m', 100)).toBe(99);
    expect(stats.percentileMs('m', 0)).toBe(2);
  });

  it('sees a new sample in the next percentile (no stale cache)', () => {
    const stats = new LatencyStats({ minSamples: 1 });
    stats.record('m', 10);
    expect(stats.percentileMs('m', 95)).toBe(10);
    stats.record('m', 20);
    expect(stats.percentileMs('m', 95)).toBe(20);
    expect(stats.percentileMs('m', 50)).toBe(10);
  });

  it.each([[Number.NaN], [-1], [Number.POSITIVE_INFINITY], [Number.NEGATIVE_INFINITY]])(
    'ignores a sample of %s',
    (ms) => {
      const stats = new LatencyStats({ minSamples: 1 });
      stats.record('m', ms);
      expect(stats.samples('m')).toBe(0);
      expect(stats.ewmaMs('m')).toBeUndefined();
      stats.record('m', 40);
      stats.record('m', ms);
      expect(stats.samples('m')).toBe(1);
      expect(stats.ewmaMs('m')).toBe(40);
      expect(stats.percentileMs('m', 99)).toBe(40);
    },
  );

  it('keeps models apart, including odd names', () => {
    const stats = new LatencyStats({ minSamples: 1 });
    stats.record('__proto__', 10);
    stats.record('constructor', 20);
    stats.record('', 30);
    expect(stats.ewmaMs('__proto__')).toBe(10);
    expect(stats.ewmaMs('constructor')).toBe(20);
    expect(stats.ewmaMs('')).toBe(30);
    expect(stats.ewmaMs('toString')).toBeUndefined();
    expect(stats.percentileMs('constructor', 50)).toBe(20);
  });

  it('exposes its resolved options', () => {
    expect(new LatencyStats()).toMatchObject({ alpha: 0.2, windowSize: 100, minSamples: 5 });
  });

  it.each<[string, LatencyStatsOptions]>([
    ['alpha 0', { alpha: 0 }],
    ['alpha above 1', { alpha: 1.5 }],
    ['alpha NaN', { alpha: Number.NaN }],
    ['windowSize 0', { windowSize: 0 }],
    ['fractional windowSize', { windowSize: 2.5 }],
    ['minSamples 0', { minSamples: 0 }],
    ['minSamples above windowSize', { windowSize: 3, minSamples: 4 }],
    ['minSamples NaN', { minSamples: Number.NaN }],
  ])('rejects %s', (_name, opts) => {
    expect(() => new LatencyStats(opts)).toThrow(RangeError);
  });

  it('keeps every percentile equal to a sort of the live window, as the window moves (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 12 }),
        fc.array(fc.oneof(fc.integer({ min: 0, max: 20 }), fc.double({ min: 0, max: 1e4, noNaN: true })), {
          maxLength: 60,
        }),
        (windowSize, samples) => {
          const stats = new LatencyStats({ windowSize, minSamples: 1 });
          for (let i = 0; i < samples.length; i++) {
            stats.record('m', samples[i] as number);
            const live = samples.slice(Math.max(0, i + 1 - windowSize), i + 1).sort((a, b) => a - b);
            for (const p of [0, 1, 50, 90, 99, 100]) {
              const rank = Math.min(live.length, Math.max(1, Math.ceil((p * live.length) / 100 - 1e-9)));
              expect(stats.percentileMs('m', p)).toBe(live[rank - 1]);
            }
          }
        },
      ),
      { seed: 14, numRuns: 200 },
    );
  });
});
