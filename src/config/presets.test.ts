import { describe, expect, it } from 'vitest';
import { findPreset, PRESET_NAMES, PRESETS } from './index.js';
import { baseUrlProblem } from './schema.js';

describe('PRESETS', () => {
  it('covers the well-known providers: OpenAI-compatible ones, and the two native wires', () => {
    expect(PRESET_NAMES).toEqual([
      'openai',
      'anthropic',
      'gemini',
      'deepseek',
      'zhipu',
      'moonshot',
      'qwen',
      'groq',
      'together',
      'fireworks',
      'mistral',
      'openrouter',
      'ollama',
      'vllm',
    ]);
  });

  it.each(Object.entries(PRESETS))('%s has a valid base URL without a trailing slash', (_, preset) => {
    expect(baseUrlProblem(preset.baseUrl)).toBeUndefined();
    expect(preset.baseUrl).not.toMatch(/\/$/);
    expect(preset.baseUrl.startsWith('https://') || preset.baseUrl.startsWith('http://127.0.0.1')).toBe(true);
  });

  it('marks only the local servers as keyless', () => {
    const keyless = Object.entries(PRESETS).filter(([, preset]) => !preset.needsApiKey);
    expect(keyless.map(([name]) => name)).toEqual(['ollama', 'vllm']);
  });

  it('has the documented URLs for the providers the docs name', () => {
    expect(PRESETS.zhipu.baseUrl).toBe('https://open.bigmodel.cn/api/paas/v4');
    expect(PRESETS.ollama.baseUrl).toBe('http://127.0.0.1:11434/v1');
    expect(PRESETS.vllm.baseUrl).toBe('http://127.0.0.1:8000/v1');
  });

  it('is frozen, and lookups see own names only', () => {
    expect(Object.isFrozen(PRESETS)).toBe(true);
    expect(Object.isFrozen(PRESETS.openai)).toBe(true);
    expect(findPreset('groq')).toBe(PRESETS.groq);
    expect(findPreset('toString')).toBeUndefined();
  });
});
