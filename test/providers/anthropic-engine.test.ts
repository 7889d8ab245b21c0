import { describe, expect, it } from 'vitest';
import { RequestFailedError } from '../../src/routing/errors.js';
import { CONTINUE_INSTRUCTION } from '../../src/routing/stream/recovery.js';
import { createSwitchboard } from '../../src/switchboard.js';
import { hello, onCleanup, streamText } from '../support/engine.js';
import {
  CLAUDE_KEY,
  REPLY,
  sentBody,
  startMixed,
  startMixedEngine,
  weatherTool,
} from './anthropic-support.js';

const ask = (extra: Record<string, unknown> = {}) => hello('main', extra);

describe('Claude through the engine (library)', () => {
  it('answers a chat from Claude: translated both ways, the key only in x-api-key', async () => {
    const { sb, mocks } = await startMixedEngine({ claude: {} });
    const result = await sb.chat(
      ask({
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: 'Hello there' },
        ],
        max_tokens: 64,
        stop: ['END'],
      }),
    );
    expect(result.completion.choices[0]).toMatchObject({
      message: { role: 'assistant', content: REPLY },
      finish_reason: 'stop',
    });
    expect(result.completion.object).toBe('chat.completion');
    expect(sentBody(mocks.claude)).toEqual({
      model: 'claude-sonnet-4-5',
      max_tokens: 64,
      system: [{ type: 'text', text: 'Be brief.' }],
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Hello there' }] }],
      stop_sequences: ['END'],
    });
    expect(JSON.stringify(result)).not.toContain(CLAUDE_KEY);
  });

  it('[Claude 529, OpenAI-compatible] answers from the second', async () => {
    const { sb, count } = await startMixedEngine({ claude: { fault: '529' }, deepseek: {} });
    const result = await sb.chat(ask());
    expect(result.metadata.model).toBe('deepseek');
    expect(result.metadata.attempts[0]).toMatchObject({
      model: 'claude',
      status: 529,
      errorKind: 'transient',
      message: expect.stringContaining('Overloaded'),
    });
    expect([count('claude'), count('deepseek')]).toEqual([1, 1]);
  });

  it.each([
    ['retry-after', '429:30'],
    ['anthropic-ratelimit-requests-reset only', '429ms:30000'],
  ])('Claude 429 with %s cools it down: the next request skips it', async (_name, fault) => {
    const { sb, count } = await startMixedEngine({ claude: { fault }, deepseek: {} });
    expect((await sb.chat(ask())).metadata.model).toBe('deepseek');
    expect([count('claude'), count('deepseek')]).toEqual([1, 1]);
    const second = await sb.chat(ask());
    expect(second.metadata.model).toBe('deepseek');
    expect(second.metadata.skipped).toEqual([
      expect.objectContaining({ model: 'claude', reason: 'cooling_down' }),
    ]);
    const untilMs = second.metadata.skipped[0]?.untilMs ?? 0;
    expect(untilMs - Date.now()).toBeGreaterThan(20_000);
    expect([count('claude'), count('deepseek')]).toEqual([1, 2]);
  });

  it('an overloaded event mid-stream on Claude is continued on an OpenAI-compatible model, one clean stream', async () => {
    const { sb, mocks, count } = await startMixedEngine({
      claude: { fault: 'overloaded-mid-stream:2' },
      deepseek: {},
    });
    const result = await sb.stream(ask({ stream: true }));
    expect(await streamText(result)).toBe(REPLY);
    expect(result.metadata.recoveries).toEqual([
      expect.objectContaining({
        from: 'claude',
        to: 'deepseek',
        mode: 'prefill',
        partialChars: 'one two '.length,
      }),
    ]);
    expect([count('claude'), count('deepseek')]).toEqual([1, 1]);
    const messages = sentBody(mocks.deepseek).messages as unknown[];
    expect(messages.at(-1)).toEqual({ role: 'assistant', content: 'one two ' });
  });

  it('a broken OpenAI-compatible stream is continued on Claude by prefill (trailing whitespace trimmed)', async () => {
    const { sb, mocks, count } = await startMixedEngine({ deepseek: { fault: 'stream-cut:3' }, claude: {} });
    const result = await sb.stream(ask({ stream: true }));
    expect(await streamText(result)).toBe(REPLY);
    expect(result.metadata.recoveries).toEqual([
      expect.objectContaining({ from: 'deepseek', to: 'claude', mode: 'prefill' }),
    ]);
    expect([count('deepseek'), count('claude')]).toEqual([1, 1]);
    const sent = sentBody(mocks.claude);
    expect(sent.system).toEqual([{ type: 'text', text: CONTINUE_INSTRUCTION }]);
    expect((sent.messages as unknown[]).at(-1)).toEqual({
      role: 'assistant',
      content: [{ type: 'text', text: 'one two three' }],
    });
  });

  it('a tool call and its result round-trip (JSON)', async () => {
    const { sb, mocks } = await startMixedEngine({ claude: { toolCall: 'get_weather' } });
    const first = await sb.chat(ask({ tools: [weatherTool], tool_choice: 'required' }));
    const message = first.completion.choices[0]?.message as {
      content: string | null;
      tool_calls: Array<{ id: string; function: { name: string; arguments: string } }>;
    };
    expect(first.completion.choices[0]?.finish_reason).toBe('tool_calls');
    expect(message.content).toBeNull();
    const call = message.tool_calls[0]!;
    expect(call.function).toEqual({ name: 'get_weather', arguments: JSON.stringify({ text: REPLY }) });
    expect(sentBody(mocks.claude)).toMatchObject({
      tools: [{ name: 'get_weather', input_schema: weatherTool.function.parameters }],
      tool_choice: { type: 'any' },
    });

    const second = await sb.chat(
      ask({
        tools: [weatherTool],
        messages: [
          { role: 'user', content: 'Weather?' },
          message,
          { role: 'tool', tool_call_id: call.id, content: 'sunny' },
        ],
      }),
    );
    expect(second.completion.choices[0]).toMatchObject({
      message: { content: REPLY },
      finish_reason: 'stop',
    });
    expect((sentBody(mocks.claude, 1).messages as unknown[]).slice(1)).toEqual([
      {
        role: 'assistant',
        content: [{ type: 'tool_use', id: call.id, name: 'get_weather', input: { text: REPLY } }],
      },
      {
        role: 'user',
        content: [{ type: 'tool_result', tool_use_id: call.id, content: [{ type: 'text', text: 'sunny' }] }],
      },
    ]);
  });

  it('a tool call streams as OpenAI tool_calls argument deltas', async () => {
    const { sb } = await startMixedEngine({ claude: { toolCall: 'get_weather' } });
    const result = await sb.stream(ask({ stream: true, tools: [weatherTool] }));
    const calls: Array<{ index: number; id?: string; function: { name?: string; arguments: string } }> = [];
    let finish: string | null | undefined;
    for await (const chunk of result) {
      for (const choice of chunk.choices) {
        calls.push(...((choice.delta?.tool_calls ?? []) as typeof calls));
        finish = choice.finish_reason ?? finish;
      }
    }
    expect(calls[0]).toMatchObject({
      index: 0,
      id: expect.stringMatching(/^toolu_/),
      function: { name: 'get_weather' },
    });
    expect(calls.length).toBeGreaterThan(2);
    expect(calls.every((c) => c.index === 0)).toBe(true);
    expect(JSON.parse(calls.map((c) => c.function.arguments).join(''))).toEqual({ text: REPLY });
    expect(finish).toBe('tool_calls');
  });

  it.each([false, true])(
    'usage and cost count cache reads and writes as Claude reported them (stream: %s)',
    async (stream) => {
      const { sb, mocks } = await startMixedEngine({
        claude: { cacheReadTokens: 1000, cacheWriteTokens: 200 },
      });
      const result = stream ? await sb.stream(ask({ stream: true })) : await sb.chat(ask());
      if (stream) await streamText(result as AsyncIterable<never>);
      const reported = mocks.claude!.stats().log[0]!;
      const input = Math.ceil('Hello there'.length / 4);
      expect(reported.outcome).toBe('ok');
      const usage = result.metadata.usage;
      expect(usage).toEqual({
        prompt_tokens: input + 1200,
        completion_tokens: 6,
        total_tokens: input + 1200 + 6,
        prompt_tokens_details: { cached_tokens: 1000, cache_write_tokens: 200 },
      });
      const expected = (input * 3 + 1000 * 0.3 + 200 * 3.75 + 6 * 15) / 1_000_000;
      expect(result.metadata.costUsd).toBeCloseTo(expected, 12);
    },
  );

  it('n: 2 with Claude alone is a 400 naming the field, and Claude gets no request', async () => {
    const { sb, count } = await startMixedEngine({ claude: {} });
    const error = await sb.chat(ask({ n: 2 })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RequestFailedError);
    expect(error).toMatchObject({ code: 'unsupported_field', status: 400 });
    expect((error as Error).message).toContain('n: 2 is not supported by anthropic models');
    expect(count('claude')).toBe(0);
  });

  it('n: 2 with [Claude, OpenAI-compatible] goes to the second', async () => {
    const { sb, count } = await startMixedEngine({ claude: {}, deepseek: {} });
    const result = await sb.chat(ask({ n: 2 }));
    expect(result.metadata.model).toBe('deepseek');
    expect(result.metadata.skipped).toEqual([
      expect.objectContaining({
        model: 'claude',
        reason: 'unsupported',
        detail: expect.stringContaining('n: 2'),
      }),
    ]);
    expect([count('claude'), count('deepseek')]).toEqual([0, 1]);
  });

  it.each(['529', '500', 'reset', 'stream-cut:0', 'overloaded-mid-stream:0', 'timeout'])(
    'a Claude stream failing before content (%s) fails over transparently',
    async (fault) => {
      const { sb, count } = await startMixedEngine(
        { claude: { fault }, deepseek: {} },
        { timeouts: { first_byte_ms: 1_000 } },
      );
      const result = await sb.stream(ask({ stream: true }));
      expect(await streamText(result)).toBe(REPLY);
      expect(result.metadata.model).toBe('deepseek');
      expect(result.metadata.recoveries).toEqual([]);
      expect([count('claude'), count('deepseek')]).toEqual([1, 1]);
    },
  );

  it.each(['bad-json', '401', '404'])('a Claude JSON answer failing with %s falls back', async (fault) => {
    const { sb, count } = await startMixedEngine({ claude: { fault }, deepseek: {} });
    expect((await sb.chat(ask())).metadata.model).toBe('deepseek');
    expect([count('claude'), count('deepseek')]).toEqual([1, 1]);
  });

  it('a context-length 400 from Claude (prompt is too long) is not retried on a model with a smaller window', async () => {
    const { mocks, config } = await startMixed({ claude: { fault: 'context-length' }, deepseek: {} });
    (config.models.deepseek as Record<string, unknown>).context_window = 128_000;
    const sb = createSwitchboard(config, { logger: false });
    onCleanup(() => sb.close());
    const error = await sb.chat(ask()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RequestFailedError);
    expect(error).toMatchObject({ code: 'context_length_exceeded' });
    expect([mocks.claude!.stats().requests, mocks.deepseek!.stats().requests]).toEqual([1, 0]);
    // Claude said "prompt is too long: N tokens > 200000 maximum": its window is remembered.
    expect(sb.health.contextWindow('claude')).toBe(200_000);
  });

  it('… and falls back to a model whose window is unknown (issue 13: no configuration needed)', async () => {
    const { sb, count } = await startMixedEngine({ claude: { fault: 'context-length' }, deepseek: {} }, {});
    expect((await sb.chat(ask())).metadata.model).toBe('deepseek');
    expect([count('claude'), count('deepseek')]).toEqual([1, 1]);
  });

  it('a malformed Claude event is skipped and counted; a stream without message_stop is finalised', async () => {
    const { sb, mocks } = await startMixedEngine({ claude: { fault: 'malformed:2' } });
    const result = await sb.stream(ask({ stream: true }));
    expect(await streamText(result)).toBe('one three four five six');
    expect(result.metadata.malformedChunks).toBe(1);
    mocks.claude!.setFault('no-done');
    const complete = await sb.stream(ask({ stream: true }));
    expect(await streamText(complete)).toBe(REPLY);
    expect(complete.metadata.model).toBe('claude');
  });
});
