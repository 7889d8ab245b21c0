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
