import type { Price } from '../config/types.js';
import type { Usage } from '../providers/types.js';

/**
 * USD cost of a usage record at a price per 1M tokens. No price or no usage → 0. Prompt tokens read
 * from or written to the provider's cache are priced at `cache_read` / `cache_write` when set (else
 * as ordinary input).
 */
export function costUsd(usage: Usage | undefined | null, price: Price | undefined): number {
  if (!usage || !price) return 0;
  const prompt = finite(usage.prompt_tokens);
  const details = usage.prompt_tokens_details;
  const cacheRead = Math.min(prompt, finite(details?.cached_tokens));
  const cacheWrite = Math.min(prompt - cacheRead, finite(details?.cache_write_tokens));
  const input =
    (prompt - cacheRead - cacheWrite) * price.inputUsdPer1M +
    cacheRead * (price.cacheReadUsdPer1M ?? price.inputUsdPer1M) +
    cacheWrite * (price.cacheWriteUsdPer1M ?? price.inputUsdPer1M);
  const output = finite(usage.completion_tokens) * price.outputUsdPer1M;
  // Rounded to a trillionth of a dollar so sums print cleanly (0.000032, not 0.000032000000000000005).
  return Math.round(((input + output) / 1_000_000) * 1e12) / 1e12;
}

function finite(n: unknown): number {
  return typeof n === 'number' && Number.isFinite(n) && n > 0 ? n : 0;
}
