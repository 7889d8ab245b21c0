import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/common/manual-clock.js';
import { RequestFailedError } from '../../src/routing/errors.js';
import { CONTINUE_INSTRUCTION } from '../../src/routing/stream/recovery.js';
import { hello } from '../support/engine.js';
import { gemini, readStream, startMixed } from './gemini-setup.js';

const REPLY = 'one two three four five six';
const weatherTools = [
  {
    type: 'function',
    function: {
      name: 'get_weather',
      description: 'Current weather',
      parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
    },
  },
];

type Sent = {
  contents: Array<{ role: string; parts: Array<Record<string, unknown>> }>;
  systemInstruction?: { parts: Array<{ text: string }> };
};
const sentTo = (mock: { stats(): { log: Array<{ body?: unknown }> } }, i = 0) =>
  mock.stats().log[i]?.body as Sent;

describe('Gemini in a chain: rate limits and failures', () => {
  it('429 with RetryInfo 30s: the next model answers, Gemini is skipped until the delay has passed', async () => {
    const clock = new ManualClock(1_000_000);
    const { sb, mocks, count, events } = await startMixed(
      { g: gemini({ fault: '429:30' }), o: {} },
      {},
      { clock },
    );

    expect((await sb.chat(hello())).metadata.model).toBe('o');
    expect([count('g'), count('o')]).toEqual([1, 1]);
    expect(events.find((e) => e.type === 'model.cooling_down')).toMatchObject({
      model: 'g',
      untilMs: 1_030_000,
    });

    const second = await sb.chat(hello());
    expect(second.metadata.skipped).toEqual([{ model: 'g', reason: 'cooling_down', untilMs: 1_030_000 }]);
    expect([count('g'), count('o')]).toEqual([1, 2]);

    mocks.g!.setFault('ok');
    await clock.advance(29_999);
    expect((await sb.chat(hello())).metadata.model).toBe('o');
    await clock.advance(1);
    const third = await sb.chat(hello());
    expect(third.metadata.model).toBe('g');
    expect(third.completion.choices[0]?.message).toEqual({ role: 'assistant', content: 'Answer from g.' });
    expect([count('g'), count('o')]).toEqual([2, 3]);
  });

  it.each([
    ['503', 'UNAVAILABLE'],
    ['500', 'INTERNAL'],
    ['504', 'DEADLINE_EXCEEDED'],
  ])('%s falls back (after its retries)', async (fault) => {
    const { sb, count } = await startMixed({ g: gemini({ fault }), o: {} }, { retry: { max_retries: 1 } });
    const result = await sb.chat(hello());
    expect(result.metadata.model).toBe('o');
    expect(result.metadata.attempts.map((a) => [a.model, a.errorKind ?? 'ok'])).toEqual([
      ['g', 'transient'],
      ['g', 'transient'],
      ['o', 'ok'],
    ]);
    expect([count('g'), count('o')]).toEqual([2, 1]);
  });

  it('an OpenAI-compatible 503 falls back to Gemini, streamed', async () => {
    const { sb, count } = await startMixed(
      { o: { fault: '503' }, g: gemini() },
      { retry: { max_retries: 0 } },
    );
    const result = await sb.stream(hello('main', { stream: true }));
    expect((await readStream(result)).text).toBe('Answer from g.');
    expect(result.metadata.model).toBe('g');
    expect([count('o'), count('g')]).toEqual([1, 1]);
  });

  it('a 403 from Gemini is a provider failure: no retry, fall back at once', async () => {
    const { sb, count } = await startMixed({ g: gemini({ fault: '403' }), o: {} });
    expect((await sb.chat(hello())).metadata.attempts[0]).toMatchObject({
      model: 'g',
      errorKind: 'provider',
    });
    expect(count('g')).toBe(1);
  });

  it('safety-block and a blocked prompt are content_policy refusals, returned to the caller', async () => {
    for (const fault of ['safety-block', 'content-filter']) {
      const { sb, count } = await startMixed({ g: gemini({ fault }), o: {} });
      const error = await sb.chat(hello()).catch((e) => e);
      expect(error).toBeInstanceOf(RequestFailedError);
      expect(error).toMatchObject({ code: 'content_policy', status: 400 });
      const streamError = await sb.stream(hello('main', { stream: true })).catch((e) => e);
      expect(streamError).toMatchObject({ code: 'content_policy' });
      expect(count('o')).toBe(0);
    }
  });

  it('context-length: Gemini says the input is too long → context_length_exceeded', async () => {
    const { sb } = await startMixed({ g: gemini({ fault: 'context-length' }) });
    const error = await sb.chat(hello()).catch((e) => e);
    expect(error).toMatchObject({ code: 'context_length_exceeded', status: 400 });
    expect(error.message).toContain('exceeds the maximum number of tokens allowed');
  });
});

describe('Gemini: tools round-trip', () => {
  it('JSON: a tool call with a stable id, then its result answered; the result reached Gemini by name', async () => {
    const { sb, mocks } = await startMixed({
      g: gemini({ toolCall: 'get_weather', reply: '{"city":"Paris"}' }),
    });
    const ask = { role: 'user', content: 'Weather in Paris?' };
    const first = await sb.chat(
      hello('main', { messages: [ask], tools: weatherTools, tool_choice: 'required' }),
    );
    const message = first.completion.choices[0]?.message as {
      tool_calls: Array<{ id: string; function: { name: string; arguments: string } }>;
    };
    expect(first.completion.choices[0]?.finish_reason).toBe('tool_calls');
    expect(message.tool_calls).toEqual([
      {
        id: expect.stringMatching(/^call_/),
        type: 'function',
        function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
      },
    ]);
    expect(mocks.g!.stats().log[0]?.body).toMatchObject({
      tools: [
        {
          functionDeclarations: [
            { name: 'get_weather', parametersJsonSchema: weatherTools[0]!.function.parameters },
          ],
        },
      ],
      toolConfig: { functionCallingConfig: { mode: 'ANY' } },
    });

    const second = await sb.chat(
      hello('main', {
        tools: weatherTools,
        messages: [
          ask,
          { role: 'assistant', content: null, tool_calls: message.tool_calls },
          { role: 'tool', tool_call_id: message.tool_calls[0]!.id, content: '{"temp":21}' },
        ],
      }),
    );
    expect(second.completion.choices[0]).toMatchObject({
      finish_reason: 'stop',
      message: { content: '{"city":"Paris"}' },
    });
    expect(sentTo(mocks.g!, 1).contents).toEqual([
      { role: 'user', parts: [{ text: 'Weather in Paris?' }] },
      { role: 'model', parts: [{ functionCall: { name: 'get_weather', args: { city: 'Paris' } } }] },
      { role: 'user', parts: [{ functionResponse: { name: 'get_weather', response: { temp: 21 } } }] },
    ]);
  });

  it('streamed: one tool_calls delta with the full arguments, then the result answered as a stream', async () => {
    const { sb, mocks } = await startMixed({
      g: gemini({ toolCall: 'get_weather', reply: '{"city":"Paris"}' }),
    });
    const ask = { role: 'user', content: 'Weather in Paris?' };
    const first = await readStream(
      await sb.stream(hello('main', { stream: true, messages: [ask], tools: weatherTools })),
    );
    expect(first).toMatchObject({ text: '', finish: 'tool_calls' });
    expect(first.calls).toEqual([
      { id: expect.stringMatching(/^call_/), name: 'get_weather', arguments: '{"city":"Paris"}' },
    ]);

    const call = first.calls[0]!;
    const second = await readStream(
      await sb.stream(
        hello('main', {
          stream: true,
          tools: weatherTools,
          messages: [
            ask,
            {
              role: 'assistant',
              content: null,
              tool_calls: [
                { id: call.id, type: 'function', function: { name: call.name, arguments: call.arguments } },
              ],
            },
            { role: 'tool', tool_call_id: call.id, content: 'sunny, 21°C' },
          ],
        }),
      ),
    );
    expect(second).toMatchObject({ text: '{"city":"Paris"}', finish: 'stop', calls: [] });
    expect(sentTo(mocks.g!, 1).contents.at(-1)).toEqual({
      role: 'user',
      parts: [{ functionResponse: { name: 'get_weather', response: { result: 'sunny, 21°C' } } }],
    });
  });
});

describe('Gemini: usage and cost', () => {
  const priced = (config: { models: unknown }) => {
    (config.models as Record<string, Record<string, unknown>>).g!.price = {
      input: 1,
      output: 2,
      cache_read: 0.1,
    };
  };
  // "Hello there" → ceil(11 / 4) = 3 prompt tokens, + 40 cached = 43; "Answer from g." = 3 words + 5 thinking.
  const expectedUsage = {
    prompt_tokens: 43,
    completion_tokens: 8,
    total_tokens: 51,
    prompt_tokens_details: { cached_tokens: 40 },
    completion_tokens_details: { reasoning_tokens: 5 },
  };
  const expectedCostUsd = (3 * 1 + 40 * 0.1 + 8 * 2) / 1_000_000;

  it('JSON: the usage the simulator reported, cached tokens priced at cache_read', async () => {
    const { sb } = await startMixed({ g: gemini({ cachedTokens: 40, thoughtsTokens: 5 }) }, {}, {}, priced);
    const result = await sb.chat(hello());
    expect(result.completion.usage).toEqual(expectedUsage);
    expect(result.metadata.usage).toEqual(expectedUsage);
    expect(result.metadata.costUsd).toBeCloseTo(expectedCostUsd, 12);
  });

  it('stream: the closing usage chunk for callers who asked, and the same cost', async () => {
    const { sb } = await startMixed({ g: gemini({ cachedTokens: 40, thoughtsTokens: 5 }) }, {}, {}, priced);
    const result = await sb.stream(hello('main', { stream: true, stream_options: { include_usage: true } }));
    const chunks: Array<{ choices: unknown[]; usage?: unknown }> = [];
    for await (const c of result) chunks.push(c);
    expect(chunks.at(-1)).toMatchObject({ choices: [], usage: expectedUsage });
    expect(result.metadata.costUsd).toBeCloseTo(expectedCostUsd, 12);
  });
});

describe('Gemini: fields without a translation', () => {
  it('Gemini alone: a 400 naming the field, and no upstream request', async () => {
    const { sb, count } = await startMixed({ g: gemini() });
    const error = await sb.chat(hello('main', { logprobs: true, top_logprobs: 2 })).catch((e) => e);
    expect(error).toBeInstanceOf(RequestFailedError);
    expect(error).toMatchObject({ code: 'unsupported_field', status: 400 });
    expect(error.message).toContain('logprobs is not supported by gemini models');
    const streamed = await sb.stream(hello('main', { stream: true, logit_bias: { 5: 1 } })).catch((e) => e);
    expect(streamed.message).toContain('logit_bias is not supported by gemini models');
    expect(count('g')).toBe(0);
  });

  it('in a chain: Gemini is skipped (reason unsupported) and the next model answers', async () => {
    const { sb, count } = await startMixed({ g: gemini(), o: {} });
    const result = await sb.chat(hello('main', { logprobs: true }));
    expect(result.metadata.model).toBe('o');
    expect(result.metadata.skipped).toMatchObject([
      { model: 'g', reason: 'unsupported', detail: 'logprobs is not supported by gemini models' },
    ]);
    expect([count('g'), count('o')]).toEqual([0, 1]);
  });
});

describe('mid-stream recovery onto and from Gemini', () => {
  it('a broken OpenAI-compatible stream is continued on Gemini, whose prefill is a trailing model turn', async () => {
    const { sb, mocks } = await startMixed({
      o: { reply: REPLY, fault: 'stream-cut:2' },
      g: gemini({ reply: REPLY }),
    });
    const result = await sb.stream(hello('main', { stream: true }));
    expect((await readStream(result)).text).toBe(REPLY);
    expect(result.metadata.recoveries).toMatchObject([
      { from: 'o', to: 'g', mode: 'prefill', partialChars: 8 },
    ]);
    const sent = sentTo(mocks.g!);
    expect(sent.contents.at(-1)).toEqual({ role: 'model', parts: [{ text: 'one two ' }] });
    expect(sent.systemInstruction?.parts.map((p) => p.text)).toContain(CONTINUE_INSTRUCTION);
  });

  it('a broken Gemini stream is continued on an OpenAI-compatible model', async () => {
    const { sb, mocks } = await startMixed({
      g: gemini({ reply: REPLY, fault: 'stream-cut:3' }),
      o: { reply: REPLY },
    });
    const result = await sb.stream(hello('main', { stream: true }));
    expect((await readStream(result)).text).toBe(REPLY);
    expect(result.metadata.recoveries).toMatchObject([{ from: 'g', to: 'o', mode: 'prefill' }]);
    const sent = mocks.o!.stats().log[0]?.body as { messages: Array<{ role: string; content: string }> };
    expect(sent.messages.at(-1)).toEqual({ role: 'assistant', content: 'one two three ' });
  });

  it('a stalled Gemini stream (stall) and one that ends without a finish (no-done) are continued too', async () => {
    for (const fault of ['stall:2:10000', 'no-done']) {
      const { sb } = await startMixed(
        { g: gemini({ reply: REPLY, fault }), o: { reply: REPLY } },
        { timeouts: { stall_ms: 150 } },
      );
      const result = await sb.stream(hello('main', { stream: true }));
      expect((await readStream(result)).text).toBe(REPLY);
      expect(result.metadata.recoveries).toMatchObject([{ from: 'g', to: 'o' }]);
    }
  });

  it('a Gemini model that refuses a trailing model turn is asked again with the restart instruction', async () => {
    const { sb, mocks, count } = await startMixed({
      o: { reply: REPLY, fault: 'stream-cut:2' },
      g: gemini({ reply: REPLY, assistantPrefill: false }),
    });
    const result = await sb.stream(hello('main', { stream: true }));
    expect((await readStream(result)).text).toBe(REPLY);
    expect(result.metadata.recoveries).toMatchObject([{ from: 'o', to: 'g', mode: 'restart' }]);
    expect(count('g')).toBe(2);
    expect([sentTo(mocks.g!, 0), sentTo(mocks.g!, 1)].map((b) => b.contents.at(-1)?.role)).toEqual([
      'model',
      'user',
    ]);
    expect(sb.health.acceptsPrefill('g')).toBe(false);
  });
});
