import { deepFreeze } from './freeze.js';

/**
 * Context windows (tokens) of the presets' well-known models, by the name sent upstream. A name
 * ending in `*` matches every upstream name starting with what precedes it (dated snapshots); the
 * longest match wins. Used only when a model has no `context_window` configured and none was learnt
 * from an error. Where the vendor's figure varies by tier or date, the larger one is kept: an
 * underestimate would skip a model that fits, an overestimate only costs one rejected attempt.
 */
export const BUILT_IN_CONTEXT_WINDOWS: Readonly<Record<string, number>> = deepFreeze({
  // OpenAI
  'gpt-4o*': 128_000,
  'gpt-4o-mini*': 128_000,
  'gpt-4-turbo*': 128_000,
  'gpt-4.1*': 1_047_576,
  'gpt-3.5-turbo*': 16_385,
  'o1*': 200_000,
  'o3*': 200_000,
  'o4-mini*': 200_000,
  // Anthropic
  'claude-3*': 200_000,
  'claude-sonnet-4*': 200_000,
  'claude-opus-4*': 200_000,
  'claude-haiku-4*': 200_000,
  // Google Gemini
  'gemini-1.5-pro*': 2_097_152,
  'gemini-1.5-flash*': 1_048_576,
  'gemini-2.0-flash*': 1_048_576,
  'gemini-2.5-pro*': 1_048_576,
  'gemini-2.5-flash*': 1_048_576,
  // DeepSeek
  'deepseek-chat': 128_000,
  'deepseek-reasoner': 128_000,
  // Mistral
  'mistral-large-latest': 128_000,
  'mistral-small-latest': 128_000,
  // Groq, Together, Fireworks: Llama 3.1+ and Mixtral
  'llama-3.1-*': 131_072,
  'llama-3.3-70b*': 131_072,
  'mixtral-8x7b-32768': 32_768,
});

/** Lookups done, per upstream model name: the configured names are few, and every request asks. */
const looked = new Map<string, number | undefined>();

/** The built-in window of an upstream model name, or undefined (pure: answers are remembered). */
export function builtInContextWindow(upstreamModel: string): number | undefined {
  if (looked.has(upstreamModel)) return looked.get(upstreamModel);
  const tokens = lookUp(upstreamModel);
  // Bounded: a name is only looked up for a configured model, but nothing here may grow without end.
  if (looked.size < 10_000) looked.set(upstreamModel, tokens);
  return tokens;
}

function lookUp(upstreamModel: string): number | undefined {
  if (Object.hasOwn(BUILT_IN_CONTEXT_WINDOWS, upstreamModel)) return BUILT_IN_CONTEXT_WINDOWS[upstreamModel];
  let best: { length: number; tokens: number } | undefined;
  for (const [pattern, tokens] of Object.entries(BUILT_IN_CONTEXT_WINDOWS)) {
    if (!pattern.endsWith('*')) continue;
    const prefix = pattern.slice(0, -1);
    if (upstreamModel.startsWith(prefix) && (!best || prefix.length > best.length))
      best = { length: prefix.length, tokens };
  }
  return best?.tokens;
}

/**
 * Models whose context window is neither configured nor built in (pure), in config order: the
 * gateway tries them on any prompt and learns their window from their first context-length error.
 */
export function modelsWithoutWindow(
  models: Readonly<Record<string, { id: string; upstreamModel: string; contextWindow?: number }>>,
): string[] {
  return Object.values(models)
    .filter((m) => m.contextWindow === undefined && builtInContextWindow(m.upstreamModel) === undefined)
    .map((m) => m.id);
}
