import { describe, expect, it } from 'vitest';
import { mapUsage, mergeUsage } from './map-usage.js';

describe('mapUsage', () => {
  it('counts cached prompt tokens in prompt_tokens and names them in the details', () => {
    expect(
      mapUsage({
        input_tokens: 10,
        output_tokens: 5,
        cache_read_input_tokens: 100,
        cache_creation_input_tokens: 20,
      }),
    ).toEqual({
      prompt_tokens: 130,
      completion_tokens: 5,
      total_tokens: 135,
      prompt_tokens_details: { cached_tokens: 100, cache_write_tokens: 20 },
    });
  });

  it.each([
    ['absent', undefined],
    ['null', null],
    ['nulls inside', { input_tokens: null, output_tokens: null, cache_read_input_tokens: null }],
    ['garbage', { input_tokens: -3, output_tokens: Number.NaN } as never],
  ])('reads %s usage as zeros', (_name, usage) => {
    expect(mapUsage(usage)).toMatchObject({ prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 });
  });
});

describe('mergeUsage', () => {
  it('lets the cumulative message_delta usage override message_start, keeping what it leaves out', () => {
    const start = { input_tokens: 12, output_tokens: 1, cache_read_input_tokens: 4 };
    expect(mergeUsage(start, { output_tokens: 30 })).toEqual({
      input_tokens: 12,
      output_tokens: 30,
      cache_read_input_tokens: 4,
    });
    expect(mergeUsage(start, null)).toBe(start);
  });
});
