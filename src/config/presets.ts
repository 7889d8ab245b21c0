import { deepFreeze } from './freeze.js';
import type { ProviderType } from './types.js';

/** A well-known upstream: `preset: <name>` fills in its base URL (and its wire, when not OpenAI's). */
export interface Preset {
  /** What the vendor's SDK takes as its base (see ProviderConfig.baseUrl). */
  readonly baseUrl: string;
  /** The wire it speaks; absent = `openai`. */
  readonly type?: ProviderType;
  /** Whether the upstream rejects requests without an API key (a missing key is a lint warning). */
  readonly needsApiKey: boolean;
  readonly description: string;
}

/**
 * Data only. The mainland-China hosts are used for zhipu, moonshot and qwen; international accounts
 * set `base_url` next to the preset (e.g. https://api.moonshot.ai/v1,
 * https://dashscope-intl.aliyuncs.com/compatible-mode/v1, https://api.z.ai/api/paas/v4).
 */
export const PRESETS = deepFreeze({
  openai: { baseUrl: 'https://api.openai.com/v1', needsApiKey: true, description: 'OpenAI' },
  anthropic: {
    baseUrl: 'https://api.anthropic.com',
    type: 'anthropic',
    needsApiKey: true,
    description: 'Anthropic (Claude), native Messages API',
  },
  gemini: {
    baseUrl: 'https://generativelanguage.googleapis.com',
    type: 'gemini',
    needsApiKey: true,
    description: 'Google Gemini API, native generateContent',
  },
  deepseek: { baseUrl: 'https://api.deepseek.com/v1', needsApiKey: true, description: 'DeepSeek' },
  zhipu: {
    baseUrl: 'https://open.bigmodel.cn/api/paas/v4',
    needsApiKey: true,
    description: 'Zhipu AI BigModel (GLM)',
  },
  moonshot: { baseUrl: 'https://api.moonshot.cn/v1', needsApiKey: true, description: 'Moonshot AI (Kimi)' },
  qwen: {
    baseUrl: 'https://dashscope.aliyuncs.com/compatible-mode/v1',
    needsApiKey: true,
    description: 'Alibaba Cloud DashScope, OpenAI-compatible mode (Qwen)',
  },
  groq: { baseUrl: 'https://api.groq.com/openai/v1', needsApiKey: true, description: 'Groq' },
  together: { baseUrl: 'https://api.together.ai/v1', needsApiKey: true, description: 'Together AI' },
  fireworks: {
    baseUrl: 'https://api.fireworks.ai/inference/v1',
    needsApiKey: true,
    description: 'Fireworks AI',
  },
  mistral: { baseUrl: 'https://api.mistral.ai/v1', needsApiKey: true, description: 'Mistral AI' },
  openrouter: { baseUrl: 'https://openrouter.ai/api/v1', needsApiKey: true, description: 'OpenRouter' },
  ollama: { baseUrl: 'http://127.0.0.1:11434/v1', needsApiKey: false, description: 'Ollama (local)' },
  vllm: { baseUrl: 'http://127.0.0.1:8000/v1', needsApiKey: false, description: 'vLLM server (local)' },
} as const satisfies Record<string, Preset>);

export type PresetName = keyof typeof PRESETS;

export const PRESET_NAMES: readonly PresetName[] = Object.freeze(Object.keys(PRESETS) as PresetName[]);

/** The preset called `name`, or undefined (own keys only: `toString` is not a preset). */
export function findPreset(name: string): Preset | undefined {
  return Object.hasOwn(PRESETS, name) ? PRESETS[name as PresetName] : undefined;
}

/** The preset a bare `type: anthropic` or `type: gemini` implies (its base URL), if any. */
export function presetForType(type: ProviderType | undefined): PresetName | undefined {
  return type === 'anthropic' || type === 'gemini' ? type : undefined;
}
