import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { startGateway } from '../../src/gateway.js';
import type { MockProviderOptions } from '../../src/mock/types.js';
import { onCleanup } from '../support/engine.js';
import { CLAUDE_KEY, REPLY, sentBody, startMixed, weatherTool } from './anthropic-support.js';

async function setup(specs: Record<string, MockProviderOptions>, overrides: Record<string, unknown> = {}) {
  const mixed = await startMixed(specs, overrides);
  const gateway = await startGateway(mixed.config, { logger: false, port: 0 });
  onCleanup(() => gateway.close(1_000));
  const client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'none', maxRetries: 0 });
  const post = (body: Record<string, unknown>) =>
    fetch(`${gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  return { ...mixed, gateway, client, post };
}

const hi = [{ role: 'user' as const, content: 'Hello there' }];

describe('Claude through the gateway', () => {
  it('[Claude 529, OpenAI-compatible]: the openai SDK gets the second answer', async () => {
    const { client, count } = await setup({ claude: { fault: '529' }, deepseek: {} });
    const { data, response } = await client.chat.completions
      .create({ model: 'main', messages: hi })
      .withResponse();
    expect(data.choices[0]?.message.content).toBe(REPLY);
    expect(response.headers.get('x-switchboard-model')).toBe('deepseek');
    expect(response.headers.get('x-switchboard-fallbacks')).toBe('1');
    expect([count('claude'), count('deepseek')]).toEqual([1, 1]);
  });

  it('Claude alone, JSON: cost from the cache-token prices', async () => {
    const { post, count } = await setup({ claude: { cacheReadTokens: 1000, cacheWriteTokens: 200 } });
    const res = await post({ model: 'main', messages: hi });
    const body = (await res.json()) as {
      usage: Record<string, unknown>;
      choices: Array<{ message: unknown }>;
    };
    expect(res.status).toBe(200);
    expect(body.choices[0]?.message).toEqual({ role: 'assistant', content: REPLY });
    const input = Math.ceil('Hello there'.length / 4);
    expect(body.usage).toMatchObject({
      prompt_tokens: input + 1200,
      prompt_tokens_details: { cached_tokens: 1000, cache_write_tokens: 200 },
    });
    const cost = (input * 3 + 1000 * 0.3 + 200 * 3.75 + 6 * 15) / 1_000_000;
    expect(res.headers.get('x-switchboard-cost-usd')).toBe(cost.toFixed(8));
    expect(count('claude')).toBe(1);
  });

  it('an overloaded event mid-stream on Claude is continued on an OpenAI-compatible model: one clean stream', async () => {
    const { client, count } = await setup({ claude: { fault: 'overloaded-mid-stream:2' }, deepseek: {} });
    const stream = await client.chat.completions.create({ model: 'main', messages: hi, stream: true });
    let text = '';
    let finishes = 0;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta?.content ?? '';
      if (chunk.choices[0]?.finish_reason) finishes++;
    }
    expect(text).toBe(REPLY);
    expect(finishes).toBe(1);
    expect([count('claude'), count('deepseek')]).toEqual([1, 1]);
  });

  it('a broken OpenAI-compatible stream is continued on Claude by prefill', async () => {
    const { client, count } = await setup({ deepseek: { fault: 'stream-cut:2' }, claude: {} });
    const stream = await client.chat.completions.create({ model: 'main', messages: hi, stream: true });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
    expect(text).toBe(REPLY);
    expect([count('deepseek'), count('claude')]).toEqual([1, 1]);
  });

  it('a tool call and its result round-trip with the openai SDK, JSON and streamed', async () => {
    const { client, mocks } = await setup({ claude: { toolCall: 'get_weather' } });
    const first = await client.chat.completions.create({ model: 'main', messages: hi, tools: [weatherTool] });
    const message = first.choices[0]!.message;
    expect(first.choices[0]?.finish_reason).toBe('tool_calls');
    const call = message.tool_calls![0]!;
    expect(call.type === 'function' && JSON.parse(call.function.arguments)).toEqual({ text: REPLY });

    const stream = await client.chat.completions.create({
      model: 'main',
      messages: hi,
      tools: [weatherTool],
      stream: true,
    });
    let args = '';
    let id: string | undefined;
    for await (const chunk of stream) {
      for (const delta of chunk.choices[0]?.delta?.tool_calls ?? []) {
        id ??= delta.id;
        args += delta.function?.arguments ?? '';
      }
    }
    expect(id).toMatch(/^toolu_/);
    expect(JSON.parse(args)).toEqual({ text: REPLY });

    const answer = await client.chat.completions.create({
      model: 'main',
      tools: [weatherTool],
      messages: [...hi, message, { role: 'tool', tool_call_id: call.id, content: 'sunny' }],
    });
    expect(answer.choices[0]?.message.content).toBe(REPLY);
    const sent = sentBody(mocks.claude, 2).messages as Array<{ content: Array<Record<string, unknown>> }>;
    expect(sent[2]?.content[0]).toMatchObject({ type: 'tool_result', tool_use_id: call.id });
  });

  it('n: 2 with Claude alone is a 400 naming the field, with no upstream request', async () => {
    const { post, count } = await setup({ claude: {} });
    const res = await post({ model: 'main', messages: hi, n: 2 });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { message: string; type: string } };
    expect(body.error.message).toContain('n: 2 is not supported by anthropic models');
    expect(count('claude')).toBe(0);
  });

  it('n: 2 with [Claude, OpenAI-compatible] goes to the second', async () => {
    const { post, count } = await setup({ claude: {}, deepseek: {} });
    const res = await post({ model: 'main', messages: hi, n: 2 });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-switchboard-model')).toBe('deepseek');
    expect([count('claude'), count('deepseek')]).toEqual([0, 1]);
  });

  it('a wrong Claude key (401) is a provider failure: fall back, the key in no answer', async () => {
    const { post, count, mocks } = await setup({ claude: { apiKey: 'the-right-key' }, deepseek: {} });
    const res = await post({ model: 'main', messages: hi });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-switchboard-model')).toBe('deepseek');
    expect(mocks.claude?.stats().byStatus).toEqual({ 401: 1 });
    expect(await res.text()).not.toContain(CLAUDE_KEY);
    expect([count('claude'), count('deepseek')]).toEqual([1, 1]);
  });
});
