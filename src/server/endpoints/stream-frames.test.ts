import { describe, expect, it } from 'vitest';
import type { ChatCompletionChunk } from '../../providers/types.js';
import type { StreamResult } from '../../routing/index.js';
import { messagesFrames } from './messages/stream-frames.js';
import { responsesFrames } from './responses/stream-frames.js';

/** A committed stream of these chunks (then, optionally, a failure). */
function streamOf(chunks: ChatCompletionChunk[], failure?: Error): StreamResult {
  return {
    metadata: {} as StreamResult['metadata'],
    cancel() {},
    shutdown() {},
    async *[Symbol.asyncIterator]() {
      yield* chunks;
      if (failure) throw failure;
    },
    async *batches() {
      yield chunks.map((chunk) => ({ type: 'chunk' as const, chunk }));
      if (failure) throw failure;
    },
  };
}

const chunk = (delta: Record<string, unknown>, finish: string | null = null): ChatCompletionChunk => ({
  id: 'c',
  model: 'm',
  choices: [{ index: 0, delta, finish_reason: finish }],
});
const usage: ChatCompletionChunk = {
  id: 'c',
  model: 'm',
  choices: [],
  usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 },
};
const call = (args: string, first = false) => ({
  tool_calls: [
    {
      index: 0,
      ...(first
        ? { id: 'call_1', function: { name: 'f', arguments: args } }
        : { function: { arguments: args } }),
    },
  ],
});

async function events(frames: AsyncGenerator<string>) {
  const out: Array<{ event: string; data: Record<string, unknown> }> = [];
  for await (const frame of frames) {
    const [eventLine, dataLine] = frame.trim().split('\n');
    out.push({ event: String(eventLine).slice(7), data: JSON.parse(String(dataLine).slice(6)) });
  }
  return out;
}

describe('responsesFrames', () => {
  it('text, then a function call: the message closes before the call opens; usage on completed', async () => {
    const chunks = [
      chunk({ role: 'assistant', content: 'Hi' }),
      chunk(call('{"a"', true)),
      chunk(call(':1}')),
      chunk({}, 'tool_calls'),
      usage,
    ];
    const out = await events(responsesFrames({ input: 'x' }, streamOf(chunks), false));
    expect(out.map((e) => e.event)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
      'response.output_text.delta',
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.output_item.added',
      'response.function_call_arguments.delta',
      'response.function_call_arguments.delta',
      'response.function_call_arguments.done',
      'response.output_item.done',
      'response.completed',
    ]);
    expect(out.map((e) => e.data.sequence_number)).toEqual(out.map((_, i) => i));
    const completed = out.at(-1)?.data.response as { output: unknown[]; usage: unknown };
    expect(completed.output).toMatchObject([
      { type: 'message', content: [{ type: 'output_text', text: 'Hi' }] },
      { type: 'function_call', call_id: 'call_1', name: 'f', arguments: '{"a":1}', status: 'completed' },
    ]);
    expect(completed.usage).toMatchObject({ input_tokens: 3, output_tokens: 2, total_tokens: 5 });
  });

  it('a length finish is response.incomplete; a failure is response.failed and nothing after', async () => {
    const cut = await events(
      responsesFrames({ input: 'x' }, streamOf([chunk({ content: 'a' }, 'length')]), false),
    );
    expect(cut.at(-1)).toMatchObject({
      event: 'response.incomplete',
      data: { response: { incomplete_details: { reason: 'max_output_tokens' } } },
    });
    const broken = await events(
      responsesFrames({ input: 'x' }, streamOf([chunk({ content: 'a' })], new Error('boom')), false),
    );
    expect(broken.map((e) => e.event)).not.toContain('response.completed');
    expect(broken.at(-1)).toMatchObject({
      event: 'response.failed',
      data: { response: { status: 'failed', error: { code: 'internal_error' } } },
    });
  });
});

describe('messagesFrames', () => {
  it('text then a tool use: blocks in order, usage and stop reason on message_delta', async () => {
    const chunks = [
      chunk({ role: 'assistant', content: 'Hi' }),
      chunk(call('{"a":1}', true)),
      chunk({}, 'tool_calls'),
      usage,
    ];
    const out = await events(messagesFrames(streamOf(chunks), false));
    expect(out.map((e) => e.event)).toEqual([
      'message_start',
      'ping',
      'content_block_start',
      'content_block_delta',
      'content_block_stop',
      'content_block_start',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    expect(out[5]?.data).toEqual({
      type: 'content_block_start',
      index: 1,
      content_block: { type: 'tool_use', id: 'call_1', name: 'f', input: {} },
    });
    expect(out[8]?.data).toMatchObject({
      delta: { stop_reason: 'tool_use' },
      usage: { input_tokens: 3, output_tokens: 2 },
    });
  });

  it('a failure ends with an error event and no message_stop', async () => {
    const out = await events(messagesFrames(streamOf([chunk({ content: 'a' })], new Error('boom')), false));
    expect(out.map((e) => e.event)).not.toContain('message_stop');
    expect(out.at(-1)).toEqual({
      event: 'error',
      data: { type: 'error', error: { type: 'api_error', message: expect.any(String) } },
    });
  });
});
