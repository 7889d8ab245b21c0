import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/common/manual-clock.js';
import { type Gateway, startGateway } from '../../src/gateway.js';
import type { MockProviderOptions } from '../../src/mock/types.js';
import { onCleanup, startMocks } from '../support/engine.js';
import { GEMINI_KEY, gemini, mixedConfig } from './gemini-setup.js';

const REPLY = 'one two three four five six';

async function setup(
  specs: Record<string, MockProviderOptions>,
  overrides: Record<string, unknown> = {},
  clock?: ManualClock,
) {
  const { mocks, close } = await startMocks(
    Object.fromEntries(
      Object.entries(specs).map(([name, spec]) => [
        name,
        spec.protocol === 'gemini' ? { apiKey: GEMINI_KEY, ...spec } : spec,
      ]),
    ),
  );
  onCleanup(close);
  const gateway: Gateway = await startGateway(
    mixedConfig(mocks, { retry: { max_retries: 0 }, ...overrides }),
    {
      logger: false,
      port: 0,
      ...(clock ? { clock } : {}),
    },
  );
  onCleanup(() => gateway.close(1_000));
  const client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'none', maxRetries: 0 });
  const count = (name: string) => mocks[name]!.stats().requests;
  return { gateway, mocks, client, count, url: gateway.url };
}

const post = (url: string, body: unknown) =>
  fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
const hi = { model: 'main', messages: [{ role: 'user', content: 'Hi' }] };
const weatherTools = [
  {
    type: 'function' as const,
    function: {
      name: 'get_weather',
      parameters: { type: 'object', properties: { city: { type: 'string' } } },
    },
  },
];

describe('gateway with a Gemini upstream', () => {
  it('the OpenAI SDK gets Gemini answers, JSON and streamed, with the metadata headers', async () => {
    const { client } = await setup({ g: gemini({ reply: REPLY }) });
    const { data, response } = await client.chat.completions
      .create({ model: 'main', messages: [{ role: 'user', content: 'Hi' }] })
      .withResponse();
    expect(data.choices[0]).toMatchObject({
      message: { role: 'assistant', content: REPLY },
      finish_reason: 'stop',
    });
    expect(data.usage).toMatchObject({ completion_tokens: 6 });
    expect(response.headers.get('x-switchboard-model')).toBe('g');
    expect(response.headers.get('x-switchboard-provider')).toBe('p-g');

    const stream = await client.chat.completions.create({
      model: 'main',
      messages: [{ role: 'user', content: 'Hi' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let usage: unknown;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta?.content ?? '';
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text).toBe(REPLY);
    expect(usage).toMatchObject({ completion_tokens: 6 });
  });

  it('[Gemini 429 RetryInfo 30s, OpenAI-compatible]: the second answers; Gemini is skipped until 30 s have passed', async () => {
    const clock = new ManualClock(5_000_000);
    const { client, count, mocks } = await setup({ g: gemini({ fault: '429:30' }), o: {} }, {}, clock);
    const first = await client.chat.completions
      .create({ ...hi, messages: [{ role: 'user', content: 'Hi' }] })
      .withResponse();
    expect(first.response.headers.get('x-switchboard-model')).toBe('o');
    const second = await client.chat.completions
      .create({ ...hi, messages: [{ role: 'user', content: 'Hi' }] })
      .withResponse();
    expect(second.response.headers.get('x-switchboard-model')).toBe('o');
    expect([count('g'), count('o')]).toEqual([1, 2]);
    mocks.g!.setFault('ok');
    await clock.advance(30_000);
    const third = await client.chat.completions
      .create({ ...hi, messages: [{ role: 'user', content: 'Hi' }] })
      .withResponse();
    expect(third.response.headers.get('x-switchboard-model')).toBe('g');
    expect([count('g'), count('o')]).toEqual([2, 2]);
  });

  it('a tool call and its result round-trip through the OpenAI SDK (JSON and streamed)', async () => {
    const { client, mocks } = await setup({
      g: gemini({ toolCall: 'get_weather', reply: '{"city":"Paris"}' }),
    });
    const ask = { role: 'user' as const, content: 'Weather in Paris?' };
    const first = await client.chat.completions.create({
      model: 'main',
      messages: [ask],
      tools: weatherTools,
    });
    const call = first.choices[0]?.message.tool_calls?.[0];
    expect(first.choices[0]?.finish_reason).toBe('tool_calls');
    expect(call).toMatchObject({
      type: 'function',
      function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
    });

    const stream = await client.chat.completions.create({
      model: 'main',
      stream: true,
      tools: weatherTools,
      messages: [
        ask,
        { role: 'assistant', content: null, tool_calls: [call!] },
        { role: 'tool', tool_call_id: call!.id, content: '{"temp":21}' },
      ],
    });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
    expect(text).toBe('{"city":"Paris"}');
    const sent = mocks.g!.stats().log[1]?.body as { contents: Array<{ parts: unknown[] }> };
    expect(sent.contents.at(-1)?.parts).toEqual([
      { functionResponse: { name: 'get_weather', response: { temp: 21 } } },
    ]);
  });

  it('an untranslatable field with Gemini alone: 400 in the OpenAI shape naming it, no upstream request', async () => {
    const { url, count } = await setup({ g: gemini() });
    const res = await post(url, { ...hi, logprobs: true });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('unsupported_field');
    expect(body.error.message).toContain('logprobs is not supported by gemini models');
    expect(count('g')).toBe(0);
  });

  it('a safety block reaches the client as a content policy refusal, not a 200', async () => {
    const { url } = await setup({ g: gemini({ fault: 'safety-block' }) });
    const res = await post(url, hi);
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: string; type: string; message: string } };
    // The gateway passes the upstream's own code for a refusal: Gemini's finish reason.
    expect(body.error).toMatchObject({ type: 'invalid_request_error', code: 'SAFETY' });
    expect(body.error.message).toContain('response blocked');
  });

  it('a Gemini stream cut mid-answer continues on the OpenAI-compatible model into one clean stream', async () => {
    const { client } = await setup({
      g: gemini({ reply: REPLY, fault: 'stream-cut:2' }),
      o: { reply: REPLY },
    });
    const stream = await client.chat.completions.create({
      ...hi,
      messages: [{ role: 'user', content: 'Hi' }],
      stream: true,
    });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
    expect(text).toBe(REPLY);
  });

  it('the provider key goes only in x-goog-api-key: a wrong key is a provider failure, and the next model answers', async () => {
    const { url, count } = await setup({ g: gemini({ apiKey: 'another-key' }), o: {} });
    const res = await post(url, hi);
    expect(res.status).toBe(200);
    expect(res.headers.get('x-switchboard-model')).toBe('o');
    expect(count('g')).toBe(1);
    const text = await res.text();
    expect(text).not.toContain(GEMINI_KEY);
  });
});
