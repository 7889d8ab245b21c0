import { describe, expect, it } from 'vitest';
import { costUsd } from './cost.js';

const price = { inputUsdPer1M: 0.27, outputUsdPer1M: 1.1 };
const usage = (p: unknown, c: unknown) =>
  ({ prompt_tokens: p, completion_tokens: c, total_tokens: 0 }) as never;

describe('costUsd', () => {
  it.each([
    ['typical', usage(1_000_000, 1_000_000), price, 1.37],
    ['small', usage(1000, 500), price, 0.00027 + 0.00055],
    ['no price', usage(1000, 500), undefined, 0],
    ['no usage', undefined, price, 0],
    ['garbage counts', usage('12', Number.NaN), price, 0],
    ['negative counts', usage(-5, -1), price, 0],
  ])('%s', (_name, u, p, expected) => {
    expect(costUsd(u, p)).toBeCloseTo(expected, 12);
  });
});

describe('costUsd with prompt caching', () => {
  const cached = { inputUsdPer1M: 3, outputUsdPer1M: 15, cacheReadUsdPer1M: 0.3, cacheWriteUsdPer1M: 3.75 };
  const withCache = (prompt: number, read: number, write: number, completion: number) => ({
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    prompt_tokens_details: { cached_tokens: read, cache_write_tokens: write },
  });

  it.each([
    // 100k prompt tokens: 60k read from the cache, 30k written to it, 10k plain; 1k out.
    [
      'read and write priced apart',
      withCache(100_000, 60_000, 30_000, 1_000),
      cached,
      0.018 + 0.1125 + 0.03 + 0.015,
    ],
    ['no cache prices: all as input', withCache(100_000, 60_000, 30_000, 1_000), price, 0.027 + 0.0011],
    ['cache counts larger than the prompt are capped', withCache(10, 50, 50, 0), cached, 10 * 0.3e-6],
  ])('%s', (_name, u, p, expected) => {
    expect(costUsd(u, p)).toBeCloseTo(expected, 12);
  });
});
