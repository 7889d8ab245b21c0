import type { ProviderConfig } from '../../config/types.js';

/** Presets whose vendor has a well-known `gen_ai.provider.name` in the GenAI semantic conventions. */
const WELL_KNOWN: Readonly<Record<string, string>> = {
  openai: 'openai',
  anthropic: 'anthropic',
  gemini: 'gcp.gemini',
  deepseek: 'deepseek',
  groq: 'groq',
  mistral: 'mistral_ai',
  // Not (yet) in the conventions' list: the preset's own name.
  zhipu: 'zhipu',
  moonshot: 'moonshot',
  qwen: 'qwen',
  together: 'together',
  fireworks: 'fireworks',
  openrouter: 'openrouter',
  ollama: 'ollama',
  vllm: 'vllm',
};

/**
 * `gen_ai.provider.name` for a configured provider: the vendor of its preset or native wire, else the
 * provider's name in the config (an OpenAI-compatible server of the user's own). Pure.
 */
export function genAiProviderName(provider: Pick<ProviderConfig, 'id' | 'type' | 'preset'>): string {
  const vendor = provider.preset ?? (provider.type === 'openai' ? undefined : provider.type);
  return (vendor !== undefined ? WELL_KNOWN[vendor] : undefined) ?? provider.id;
}
