import type { Price } from '../config/types.js';
import type { Usage } from '../providers/types.js';

/** USD cost of a usage record at a price per 1M tokens. No price or no usage → 0. */
export function costUsd(usage: Usage | undefined | null, price: Price | undefined): number {
  if (!usage || !price) return 0;
  const input = finite(usage.prompt_tokens) * price.inputUsdPer1M;
  const output = finite(usage.completion_tokens) * price.outputUsdPer1M;
  // Rounded to a trillionth of a dollar so sums print cleanly (0.000032, not 0.000032000000000000005).
  return Math.round(((input + output) / 1_000_000) * 1e12) / 1e12;
}

function finite(n: unknown): number {
  return typeof n === 'number' && Number.isFinite(n) && n > 0 ? n : 0;
}
