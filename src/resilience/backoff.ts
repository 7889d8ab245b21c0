import type { Random } from '../common/clock.js';
import type { RetryPolicy } from '../config/types.js';

/** Exponents past this cannot matter: 2 ** 1023 is the largest finite power of two. */
const MAX_EXPONENT = 1023;

/**
 * Full-jitter exponential backoff: `random() * min(maxDelayMs, baseDelayMs * 2 ** retryIndex)`,
 * floored to whole milliseconds.
 *
 * @param retryIndex 0 for the first retry, 1 for the second, ...; negative or NaN counts as 0,
 *   fractions are floored, huge values (even Infinity) saturate at `maxDelayMs`.
 * @param policy delays in ms; a non-positive or NaN delay yields 0, an infinite `maxDelayMs` is no
 *   cap (the delay still stays below `Number.MAX_SAFE_INTEGER`).
 * @param random uniform in [0, 1); out-of-range or NaN draws are clamped into it.
 * @returns the delay in ms, an integer in [0, cap).
 */
export function backoffDelayMs(
  retryIndex: number,
  policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs'>,
  random: Random,
): number {
  const { baseDelayMs, maxDelayMs } = policy;
  if (!(baseDelayMs > 0) || !(maxDelayMs > 0)) return 0;
  const exponent = retryIndex > 0 ? Math.min(Math.floor(retryIndex), MAX_EXPONENT) : 0;
  // base * 2^1023 may overflow to Infinity, which min() then replaces with the cap.
  const capMs = Math.min(maxDelayMs, baseDelayMs * 2 ** exponent, Number.MAX_SAFE_INTEGER);
  const draw = random();
  const unit = draw > 0 ? Math.min(draw, 1) : 0;
  // A draw of exactly 1 (a misbehaving Random) would land on the cap; keep the result below it.
  return Math.min(Math.floor(unit * capMs), Math.max(0, Math.ceil(capMs) - 1));
}
