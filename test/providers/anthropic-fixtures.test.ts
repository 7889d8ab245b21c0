import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { classifyAnthropicError } from '../../src/providers/anthropic/classify.js';
import { convertResponse } from '../../src/providers/anthropic/convert-response.js';
import { AnthropicStreamConverter } from '../../src/providers/anthropic/convert-stream.js';
import { parseSseEvents } from '../../src/providers/anthropic/parse-sse-events.js';
import type { ChatCompletionChunk, StreamEvent } from '../../src/providers/types.js';
import { UpstreamError } from '../../src/providers/upstream-error.js';

/** Anthropic answers written from the Messages API reference, replayed through the converters. */
const FIXTURES = join(import.meta.dirname, '../fixtures/anthropic');
const fixture = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');
const ctx = { createdS: 1_700_000_000, upstreamModel: 'claude-sonnet-4-5' };

/** Feeds a fixture through the SSE parser in small uneven slices, as a socket would deliver it. */
async function replay(name: string): Promise<{ events: StreamEvent[]; error?: unknown }> {
  const text = fixture(name);
  async function* source() {
    for (let i = 0; i < text.length; i += 37) yield new TextEncoder().encode(text.slice(i, i + 37));
  }
  const converter = new AnthropicStreamConverter(ctx);
  const events: StreamEvent[] = [];
  try {
    for await (const batch of parseSseEvents(source()))
      for (const sse of batch) events.push(...converter.accept(sse));
  } catch (error) {
    return { events, error };
  }
  return { events };
}

const chunks = (events: StreamEvent[]) =>
  events.flatMap((e) => (e.type === 'chunk' ? [e.chunk] : [])) as ChatCompletionChunk[];
const text = (events: StreamEvent[]) =>
  chunks(events)
    .flatMap((c) => c.choices.map((choice) => choice.delta?.content ?? ''))
    .join('');

describe('anthropic JSON fixtures → chat.completion', () => {
  it('text.json', () => {
    expect(convertResponse(fixture('text.json'), ctx)).toEqual({
      id: 'msg_013Zva2CMHLNnXjNJJKqJ2EF',
      object: 'chat.completion',
      created: 1_700_000_000,
      model: 'claude-sonnet-4-5-20250929',
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: 'Hi! My name is Claude.' },
          finish_reason: 'stop',
        },
      ],
      usage: {
        prompt_tokens: 2095,
        completion_tokens: 503,
        total_tokens: 2598,
        prompt_tokens_details: { cached_tokens: 0, cache_write_tokens: 0 },
      },
    });
  });

  it('tool-use-parallel.json: two tool_use blocks → two tool_calls, ids kept, input as a JSON string', () => {
    const completion = convertResponse(fixture('tool-use-parallel.json'), ctx);
    expect(completion.choices[0]).toEqual({
      index: 0,
      message: {
        role: 'assistant',
        content: "I'll check the weather in both cities.",
        tool_calls: [
          {
            id: 'toolu_01A09q90qw90lq917835lq9',
            type: 'function',
            function: { name: 'get_weather', arguments: '{"location":"San Francisco, CA","unit":"celsius"}' },
          },
          {
            id: 'toolu_01B19r01rx01mr028946mr0',
            type: 'function',
            function: { name: 'get_weather', arguments: '{"location":"New York, NY","unit":"celsius"}' },
          },
        ],
      },
      finish_reason: 'tool_calls',
    });
  });

  it('cache-usage.json: cache writes count in prompt_tokens and are named', () => {
    expect(convertResponse(fixture('cache-usage.json'), ctx).usage).toEqual({
      prompt_tokens: 21 + 188086,
      completion_tokens: 393,
      total_tokens: 21 + 188086 + 393,
      prompt_tokens_details: { cached_tokens: 0, cache_write_tokens: 188086 },
    });
  });

  it('refusal.json → content_filter', () => {
    const completion = convertResponse(fixture('refusal.json'), ctx);
    expect(completion.choices[0]).toMatchObject({
      finish_reason: 'content_filter',
      message: { content: '' },
    });
  });
});

describe('anthropic SSE fixtures → chat.completion.chunk', () => {
  it('text.chunks.txt: role chunk, text deltas, finish, usage chunk, end', async () => {
    const { events, error } = await replay('text.chunks.txt');
    expect(error).toBeUndefined();
    expect(text(events)).toBe('Hello! How can I help?');
    const all = chunks(events);
    expect(all[0]?.choices[0]?.delta).toEqual({ role: 'assistant', content: '' });
    expect(
      all.every((c) => c.id === 'msg_01TextStream9fJ3kL2mN4' && c.object === 'chat.completion.chunk'),
    ).toBe(true);
    expect(all.at(-2)?.choices[0]).toEqual({ index: 0, delta: {}, finish_reason: 'stop' });
    expect(all.at(-1)).toMatchObject({
      choices: [],
      usage: { prompt_tokens: 25, completion_tokens: 15, total_tokens: 40 },
    });
    expect(events.at(-1)).toEqual({ type: 'done' });
  });

  it('tool-use-parallel.chunks.txt: input_json_delta → tool_calls[i].function.arguments deltas', async () => {
    const { events } = await replay('tool-use-parallel.chunks.txt');
    const calls = chunks(events).flatMap((c) => (c.choices[0]?.delta?.tool_calls ?? []) as unknown[]);
    expect(calls).toEqual([
      {
        index: 0,
        id: 'toolu_01T1x1fJ34qAmk2tNTrN7Up6',
        type: 'function',
        function: { name: 'get_weather', arguments: '' },
      },
      { index: 0, function: { arguments: '{"location":' } },
      { index: 0, function: { arguments: ' "Paris"}' } },
      {
        index: 1,
        id: 'toolu_02U2y2gK45rBnl3uOUsO8Vq7',
        type: 'function',
        function: { name: 'get_weather', arguments: '' },
      },
      { index: 1, function: { arguments: '{"location": "Oslo"}' } },
    ]);
    expect(text(events)).toBe('Checking both.');
    expect(chunks(events).at(-2)?.choices[0]?.finish_reason).toBe('tool_calls');
  });

  it('cache-usage.chunks.txt: the cumulative message_delta usage wins', async () => {
    const { events } = await replay('cache-usage.chunks.txt');
    expect(chunks(events).at(-1)?.usage).toEqual({
      prompt_tokens: 12 + 1800 + 300,
      completion_tokens: 7,
      total_tokens: 12 + 1800 + 300 + 7,
      prompt_tokens_details: { cached_tokens: 1800, cache_write_tokens: 300 },
    });
  });

  it('max-tokens.chunks.txt: thinking blocks give nothing, max_tokens → length', async () => {
    const { events } = await replay('max-tokens.chunks.txt');
    expect(text(events)).toBe('One, two,');
    expect(chunks(events).at(-2)?.choices[0]?.finish_reason).toBe('length');
  });

  it('overloaded-mid-stream.chunks.txt: the error event breaks the stream (transient stream_broken)', async () => {
    const { events, error } = await replay('overloaded-mid-stream.chunks.txt');
    expect(text(events)).toBe('The first part');
    expect(error).toBeInstanceOf(UpstreamError);
    expect(error).toMatchObject({
      kind: 'transient',
      code: 'stream_broken',
      providerCode: 'overloaded_error',
    });
  });
});

describe('anthropic error fixtures → UpstreamError kinds', () => {
  it.each([
    ['error-overloaded.json', 529, 'transient'],
    ['error-rate-limit.json', 429, 'rate_limited'],
    ['error-prompt-too-long.json', 400, 'context_length'],
    ['error-credit-balance.json', 400, 'provider'],
    ['error-invalid-request.json', 400, 'client'],
  ])('%s (%i) → %s', (name, status, kind) => {
    const error = classifyAnthropicError(status, {}, fixture(name));
    expect(error.kind).toBe(kind);
    expect(error.providerMessage).toBe(
      (JSON.parse(fixture(name)) as { error: { message: string } }).error.message,
    );
  });
});
