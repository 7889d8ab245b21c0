import { describe, expect, it } from 'vitest';
import { builtInContextWindow } from './context-windows.js';

describe('builtInContextWindow', () => {
  it.each([
    ['gpt-4o', 128_000],
    ['gpt-4o-2024-08-06', 128_000],
    ['gpt-4o-mini', 128_000],
    ['gpt-4.1-mini', 1_047_576],
    ['claude-3-5-sonnet-20241022', 200_000],
    ['claude-sonnet-4-20250514', 200_000],
    ['gemini-1.5-pro-002', 2_097_152],
    ['deepseek-chat', 128_000],
    ['mixtral-8x7b-32768', 32_768],
  ])('%s → %i', (name, tokens) => {
    expect(builtInContextWindow(name)).toBe(tokens);
  });

  it.each(['my-finetune', 'deepseek-chat-v9', '', 'constructor', 'toString'])('%s: unknown', (name) => {
    expect(builtInContextWindow(name)).toBeUndefined();
  });
});
