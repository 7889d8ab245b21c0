import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { RequestFailedError } from '../../src/routing/errors.js';
import { hello, startEngine, streamText } from '../support/engine.js';

const setup = (faults: Record<string, string>, overrides: Record<string, unknown> = {}) =>
  startEngine(faults, overrides);

const streamed = (extra: Record<string, unknown> = {}) => hello('main', { stream: true, ...extra });

describe('streaming', () => {
  it('streams the primary’s chunks as they arrive, with usage and cost at the end', async () => {
    const { sb, mocks } = await setup({ a: 'ok', b: 'ok' });
    const result = await sb.stream(streamed());
    expect(await streamText(result)).toBe('Answer from a.');
    expect(result.metadata).toMatchObject({ model: 'a', fallbacks: 0 });
    expect(result.metadata.usage?.completion_tokens).toBe(3);
    expect(result.metadata.costUsd).toBeGreaterThan(0);
    expect(result.metadata.timeToFirstTokenMs).toBeGreaterThanOrEqual(0);
    const sent = mocks.a!.stats().log[0]?.body as Record<string, unknown>;
    expect(sent.stream_options).toEqual({ include_usage: true });
  });

  it('hides the usage-only chunk from callers that did not ask for it, and passes it to those who did', async () => {
    const { sb } = await setup({ a: 'ok' });
    const plain: unknown[] = [];
    for await (const c of await sb.stream(streamed())) plain.push(c);
    expect(plain.every((c) => (c as { choices: unknown[] }).choices.length > 0)).toBe(true);
    const withUsage: Array<{ usage?: unknown; choices: unknown[] }> = [];
    for await (const c of await sb.stream(streamed({ stream_options: { include_usage: true } })))
      withUsage.push(c);
    expect(withUsage.at(-1)).toMatchObject({ choices: [], usage: { completion_tokens: 3 } });
  });

  it.each(['503', 'stream-cut:0', 'reset', 'timeout'])(
    'fails over transparently before the first content (%s)',
    async (fault) => {
      const { sb, count } = await setup(
        { a: fault, b: 'ok' },
        { retry: { max_retries: 0 }, timeouts: { first_byte_ms: 1_000 } },
      );
      const result = await sb.stream(streamed());
      expect(await streamText(result)).toBe('Answer from b.');
      expect(result.metadata.model).toBe('b');
      expect([count('a'), count('b')]).toEqual([1, 1]);
    },
  );

  it('a stream that breaks after content ends in an error, never a clean finish', async () => {
    const { sb, count, events } = await setup(
      { a: 'stream-cut:2', b: 'ok' },
      { routes: { main: { models: ['a', 'b'], stream_recovery: 'error' } } },
    );
    const result = await sb.stream(streamed());
    let text = '';
    const error = await (async () => {
      for await (const c of result) text += c.choices[0]?.delta?.content ?? '';
    })().catch((e) => e);
    expect(error).toBeInstanceOf(RequestFailedError);
    expect(error.code).toBe('stream_interrupted');
    expect(text).toBe('Answer from ');
    expect([count('a'), count('b')]).toEqual([1, 0]);
    expect(events.at(-1)).toMatchObject({ type: 'request.failed', code: 'stream_interrupted' });
  });

  it('skips and counts a malformed chunk, never passing it on', async () => {
    const { sb, events } = await setup({ a: 'malformed:2' });
    const result = await sb.stream(streamed());
    expect(await streamText(result)).toBe('Answer a.');
    expect(result.metadata.malformedChunks).toBe(1);
    expect(events.filter((e) => e.type === 'stream.malformed_chunk')).toHaveLength(1);
  });

  it('finalises at once a stream that finished but never sent [DONE]', async () => {
    const { sb } = await setup({ a: 'no-done' });
    const result = await sb.stream(streamed());
    expect(await streamText(result)).toBe('Answer from a.');
    expect(result.metadata.model).toBe('a');
  });

  it('cancelling a stream aborts the upstream request', async () => {
    const { sb, mocks } = await setup({ a: 'stall:1:10000' });
    const result = await sb.stream(streamed());
    for await (const _ of result) break;
    await expect.poll(() => mocks.a!.stats().aborted).toBe(1);
  });
});

describe('the official openai SDK through sb.fetch (no server)', () => {
  it('gets fallback in-process for JSON and streaming completions', async () => {
    const { sb, count } = await setup({ a: '503', b: 'ok' }, { retry: { max_retries: 0 } });
    const client = new OpenAI({
      baseURL: 'http://switchboard.invalid/v1',
      apiKey: 'unused',
      fetch: sb.fetch,
      maxRetries: 0,
    });
    const { data, response } = await client.chat.completions
      .create({ model: 'main', messages: [{ role: 'user', content: 'Hi' }] })
      .withResponse();
    expect(data.choices[0]?.message.content).toBe('Answer from b.');
    expect(response.headers.get('x-switchboard-model')).toBe('b');
    expect(response.headers.get('x-switchboard-fallbacks')).toBe('1');

    const stream = await client.chat.completions.create({
      model: 'main',
      messages: [{ role: 'user', content: 'Hi' }],
      stream: true,
    });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
    expect(text).toBe('Answer from b.');
    expect([count('a'), count('b')]).toEqual([2, 2]);
  });

  it('raises the SDK’s own error classes', async () => {
    const { sb } = await setup({ a: '400' });
    const client = new OpenAI({
      baseURL: 'http://switchboard.invalid/v1',
      apiKey: 'unused',
      fetch: sb.fetch,
      maxRetries: 0,
    });
    const create = (model: string) =>
      client.chat.completions.create({ model, messages: [{ role: 'user', content: 'Hi' }] });
    await expect(create('main')).rejects.toBeInstanceOf(OpenAI.BadRequestError);
    await expect(create('nope')).rejects.toBeInstanceOf(OpenAI.NotFoundError);
  });
});
