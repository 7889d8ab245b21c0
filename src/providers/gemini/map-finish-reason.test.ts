import { describe, expect, it } from 'vitest';
import { mapFinishReason } from './map-finish-reason.js';
import { mapUsage } from './map-usage.js';

describe('mapFinishReason', () => {
  it.each([
    ['STOP', false, 'stop'],
    ['STOP', true, 'tool_calls'],
    ['MAX_TOKENS', false, 'length'],
    ['MAX_TOKENS', true, 'length'],
    ['SAFETY', false, 'content_filter'],
    ['RECITATION', false, 'content_filter'],
    ['PROHIBITED_CONTENT', false, 'content_filter'],
    ['BLOCKLIST', false, 'content_filter'],
    ['SPII', false, 'content_filter'],
    ['OTHER', false, 'stop'],
    ['MALFORMED_FUNCTION_CALL', false, 'stop'],
    [undefined, false, 'stop'],
  ] as const)('%s (tool calls: %s) → %s', (reason, calls, expected) => {
    expect(mapFinishReason(reason, calls)).toBe(expected);
  });
});

describe('mapUsage', () => {
  it('adds thinking to completion and tool-use prompt to prompt; keeps cached tokens', () => {
    expect(
      mapUsage({
        promptTokenCount: 100,
        toolUsePromptTokenCount: 10,
        candidatesTokenCount: 20,
        thoughtsTokenCount: 5,
        cachedContentTokenCount: 60,
        totalTokenCount: 135,
      }),
    ).toEqual({
      prompt_tokens: 110,
      completion_tokens: 25,
      total_tokens: 135,
      prompt_tokens_details: { cached_tokens: 60 },
      completion_tokens_details: { reasoning_tokens: 5 },
    });
  });

  it('sums when totalTokenCount is missing, ignores garbage', () => {
    expect(
      mapUsage({ promptTokenCount: 3, candidatesTokenCount: -1, thoughtsTokenCount: Number.NaN }),
    ).toEqual({
      prompt_tokens: 3,
      completion_tokens: 0,
      total_tokens: 3,
    });
    expect(mapUsage(undefined)).toBeUndefined();
  });
});
