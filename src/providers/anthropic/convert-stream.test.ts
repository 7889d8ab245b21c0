import { describe, expect, it } from 'vitest';
import { AnthropicStreamConverter } from './convert-stream.js';

const delta = (text: string) => ({
  event: 'content_block_delta',
  data: JSON.stringify({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text } }),
});
const contents = (converter: AnthropicStreamConverter, pieces: string[]) =>
  pieces.flatMap((p) =>
    converter.accept(delta(p)).map((e) => (e.type === 'chunk' ? e.chunk.choices[0]?.delta?.content : e.type)),
  );

describe('AnthropicStreamConverter', () => {
  it('cuts the whitespace trimmed off a prefill from the start of the continuation, across deltas', () => {
    const converter = new AnthropicStreamConverter({
      createdS: 1,
      upstreamModel: 'm',
      prefillTrimmed: ' \n',
    });
    expect(contents(converter, [' ', '\nthree', ' four'])).toEqual(['three', ' four']);
  });

  it('passes a continuation that does not start with that whitespace untouched', () => {
    const converter = new AnthropicStreamConverter({ createdS: 1, upstreamModel: 'm', prefillTrimmed: ' ' });
    expect(contents(converter, ['three', ' four'])).toEqual(['three', ' four']);
  });

  it('reports data that is not a JSON object as malformed', () => {
    const converter = new AnthropicStreamConverter({ createdS: 1, upstreamModel: 'm' });
    expect(converter.accept({ event: 'content_block_delta', data: '{not json' })).toEqual([
      { type: 'malformed', data: '{not json' },
    ]);
  });
});
