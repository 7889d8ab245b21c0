import type { Usage } from '../types.js';
import type { AnthropicUsage } from './wire-types.js';

function count(n: unknown): number {
  return typeof n === 'number' && Number.isFinite(n) && n > 0 ? n : 0;
}

/**
 * Anthropic usage → OpenAI usage. Anthropic's `input_tokens` leaves out the cached part of the prompt,
 * so `prompt_tokens` = input + cache read + cache write; `prompt_tokens_details` says how many of them
 * were read from (`cached_tokens`) and written to (`cache_write_tokens`) the prompt cache.
 */
export function mapUsage(usage: AnthropicUsage | null | undefined): Usage {
  const input = count(usage?.input_tokens);
  const cacheRead = count(usage?.cache_read_input_tokens);
  const cacheWrite = count(usage?.cache_creation_input_tokens);
  const completion = count(usage?.output_tokens);
  const prompt = input + cacheRead + cacheWrite;
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    prompt_tokens_details: { cached_tokens: cacheRead, cache_write_tokens: cacheWrite },
  };
}

/** Streams report usage twice (`message_start`, then cumulative `message_delta`): later fields win. */
export function mergeUsage(base: AnthropicUsage, update: AnthropicUsage | null | undefined): AnthropicUsage {
  if (!update) return base;
  const out: AnthropicUsage = { ...base };
  for (const key of [
    'input_tokens',
    'output_tokens',
    'cache_creation_input_tokens',
    'cache_read_input_tokens',
  ] as const) {
    const value = update[key];
    if (typeof value === 'number') out[key] = value;
  }
  return out;
}
