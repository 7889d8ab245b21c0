import { describe, expect, it } from 'vitest';
import { backoffDelayMs } from './backoff.js';

const policy = { baseDelayMs: 100, maxDelayMs: 5_000 };
const constant = (value: number) => () => value;
const almostOne = 1 - Number.EPSILON;

describe('backoffDelayMs', () => {
  it.each([
    // retryIndex, random, expected
    [0, 0, 0],
    [0, 0.5, 50],
    [0, almostOne, 99],
    [1, 0.5, 100],
    [2, 0.5, 200],
    [3, 0.25, 200],
    [5, 0.5, 1_600],
    [6, 0.5, 2_500], // 6400 capped at 5000
    [6, almostOne, 4_999],
    [10, 0.5, 2_500],
    [1_000, 0.5, 2_500], // 2 ** 1000 is finite but huge
    [1_024, 0.5, 2_500], // 2 ** 1024 would be Infinity
    [1e9, 0.5, 2_500],
    [Number.POSITIVE_INFINITY, 0.5, 2_500],
    [Number.MAX_VALUE, 0.5, 2_500],
    [-1, 0.5, 50], // negative counts as the first retry
    [Number.NEGATIVE_INFINITY, 0.5, 50],
    [Number.NaN, 0.5, 50],
    [1.9, 0.5, 100], // fractions are floored
    [0, 0.333, 33], // floored to integer ms
  ])('retryIndex %s with random %s → %s ms', (retryIndex, draw, expected) => {
    expect(backoffDelayMs(retryIndex, policy, constant(draw))).toBe(expected);
  });

  it.each([
    // misbehaving Random: clamped into [0, 1)
    [1, 99],
    [1.5, 99],
    [-0.5, 0],
    [Number.NaN, 0],
    [Number.POSITIVE_INFINITY, 99],
  ])('clamps a random() of %s → %s ms', (draw, expected) => {
    expect(backoffDelayMs(0, policy, constant(draw))).toBe(expected);
  });

  it.each([
    // baseDelayMs, maxDelayMs, retryIndex, expected (random 0.5)
    [0, 5_000, 3, 0],
    [-100, 5_000, 3, 0],
    [Number.NaN, 5_000, 3, 0],
    [100, 0, 3, 0],
    [100, -1, 3, 0],
    [100, Number.NaN, 3, 0],
    [1_000, 300, 0, 150], // max below base: max wins
    [100, Number.POSITIVE_INFINITY, 4, 800],
    [100, Number.POSITIVE_INFINITY, 1_024, Math.floor(Number.MAX_SAFE_INTEGER / 2)],
    [Number.POSITIVE_INFINITY, 1_000, 0, 500],
    [0.5, 1, 0, 0],
    [150.5, 10_000, 0, 75],
  ])('base %s, max %s, retryIndex %s → %s ms', (baseDelayMs, maxDelayMs, retryIndex, expected) => {
    expect(backoffDelayMs(retryIndex, { baseDelayMs, maxDelayMs }, constant(0.5))).toBe(expected);
  });

  it('always returns a finite integer within [0, cap)', () => {
    let seed = 42;
    const lcg = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let i = 0; i < 2_000; i++) {
      const retryIndex = i % 40;
      const delay = backoffDelayMs(retryIndex, policy, lcg);
      const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retryIndex);
      expect(Number.isInteger(delay)).toBe(true);
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThan(cap);
    }
  });

  it('draws exactly one random number per call', () => {
    let calls = 0;
    backoffDelayMs(3, policy, () => {
      calls++;
      return 0.5;
    });
    expect(calls).toBe(1);
  });
});
