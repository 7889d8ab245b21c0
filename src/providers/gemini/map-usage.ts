import type { Usage } from '../types.js';
import type { GeminiUsageMetadata } from './wire-types.js';

function count(n: unknown): number {
  return typeof n === 'number' && Number.isFinite(n) && n > 0 ? n : 0;
}

/**
 * Gemini's `usageMetadata` in OpenAI's fields. `promptTokenCount` already includes the cached part
 * (as OpenAI's `prompt_tokens` does), and tool-use prompt tokens are prompt tokens too; thinking
 * tokens are billed as output, so they count as completion tokens (and as `reasoning_tokens`).
 */
export function mapUsage(meta: GeminiUsageMetadata | undefined): Usage | undefined {
  if (!meta || typeof meta !== 'object') return undefined;
  const prompt = count(meta.promptTokenCount) + count(meta.toolUsePromptTokenCount);
  const thoughts = count(meta.thoughtsTokenCount);
  const completion = count(meta.candidatesTokenCount) + thoughts;
  const usage: Usage = {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: count(meta.totalTokenCount) || prompt + completion,
  };
  const cached = count(meta.cachedContentTokenCount);
  if (cached > 0) usage.prompt_tokens_details = { cached_tokens: cached };
  if (thoughts > 0) usage.completion_tokens_details = { reasoning_tokens: thoughts };
  return usage;
}
