import { createOpenAI } from '@ai-sdk/openai';
import { embed, embedMany } from 'ai';
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { startGateway } from '../../src/gateway.js';
import { embeddingVector } from '../../src/mock/embedding-vectors.js';
import { onCleanup } from '../support/engine.js';
import { DIMS, startEmbeddings } from './setup.js';

const KEY = 'sk-switchboard-embed';

/** A chain `search` whose primary (`a`) is down: `b` serves the same model in the same space. */
async function downPrimary(faultA = '503') {
  const setup = await startEmbeddings({ a: { fault: faultA }, b: {} }, { search: ['a', 'b'] }, {}, {}, (c) =>
    Object.assign(c, { server: { api_keys: [KEY] } }),
  );
  const gateway = await startGateway(setup.config, { logger: false, port: 0 });
  onCleanup(() => gateway.close(1_000));
  return { ...setup, gateway };
}

const expected = (text: string) => embeddingVector('text-embedding-3-small', text, DIMS);

describe('POST /v1/embeddings with the openai SDK', () => {
  it('falls back from a down primary; the SDK default (base64) round-trips to the same floats', async () => {
    const { gateway, count } = await downPrimary();
    const client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: KEY, maxRetries: 0 });
    const { data, response } = await client.embeddings
      .create({ model: 'search', input: ['the quick fox', 'a lazy dog'] })
      .withResponse();
    expect(data.object).toBe('list');
    expect(data.data.map((d) => d.index)).toEqual([0, 1]);
    expect(data.data[0]?.embedding).toEqual(expected('the quick fox'));
    expect(data.data[1]?.embedding).toEqual(expected('a lazy dog'));
    expect(data.usage.prompt_tokens).toBeGreaterThan(0);
    expect(data.usage.total_tokens).toBe(data.usage.prompt_tokens);
    expect(response.headers.get('x-switchboard-model')).toBe('b');
    expect(response.headers.get('x-switchboard-provider')).toBe('p-b');
    expect(response.headers.get('x-switchboard-route')).toBe('search');
    expect(response.headers.get('x-switchboard-fallbacks')).toBe('1');
    // prompt tokens × price.input ($0.02 per 1M)
    expect(Number(response.headers.get('x-switchboard-cost-usd'))).toBeCloseTo(
      (data.usage.prompt_tokens * 0.02) / 1e6,
      12,
    );
    expect(count('a')).toBe(2); // the first try and one retry
    expect(count('b')).toBe(1);
    const metrics = await (
      await fetch(`${gateway.url}/metrics`, { headers: { authorization: `Bearer ${KEY}` } })
    ).text();
    expect(metrics).toMatch(/switchboard_requests_total\{[^}]*route="search"[^}]*model="b"[^}]*\} 1/);
    expect(metrics).toMatch(/switchboard_fallbacks_total\{from="a",to="b"[^}]*\} 1/);
  });

  it('answers floats when asked, with dimensions honoured', async () => {
    const { gateway, mocks } = await downPrimary();
    const client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: KEY, maxRetries: 0 });
    const res = await client.embeddings.create({
      model: 'search',
      input: 'one',
      encoding_format: 'float',
      dimensions: 4,
      user: 'user-7',
    });
    expect(res.data[0]?.embedding).toEqual(embeddingVector('text-embedding-3-small', 'one', 4));
    const sent = mocks.b!.stats().log.at(-1)?.body as Record<string, unknown>;
    expect(sent).toMatchObject({ model: 'text-embedding-3-small', dimensions: 4, user: 'user-7' });
  });

  it('sends base64 when asked: little-endian float32, as OpenAI does', async () => {
    const { gateway } = await downPrimary();
    const client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: KEY, maxRetries: 0 });
    const res = await client.embeddings.create({ model: 'search', input: 'x', encoding_format: 'base64' });
    const text = res.data[0]?.embedding as unknown as string;
    expect(typeof text).toBe('string');
    const bytes = Buffer.from(text, 'base64');
    const floats = Array.from({ length: bytes.length / 4 }, (_, i) => bytes.readFloatLE(i * 4));
    expect(floats).toEqual(expected('x'));
  });

  it('takes token arrays on the OpenAI wire', async () => {
    const { gateway, mocks } = await downPrimary('ok');
    const client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: KEY, maxRetries: 0 });
    const res = await client.embeddings.create({ model: 'search', input: [[1, 2, 3], [4]] });
    expect(res.data).toHaveLength(2);
    expect(res.usage.prompt_tokens).toBe(4);
    expect(mocks.a!.stats().log.at(-1)?.body).toMatchObject({ input: [[1, 2, 3], [4]] });
  });

  it('goes through sb.fetch too (the library face)', async () => {
    const { sb, count } = await startEmbeddings({ a: { fault: 'reset' }, b: {} }, { search: ['a', 'b'] });
    const client = new OpenAI({ baseURL: 'http://switchboard.local/v1', apiKey: 'none', fetch: sb.fetch });
    const res = await client.embeddings.create({ model: 'search', input: 'hello' });
    expect(res.data[0]?.embedding).toEqual(expected('hello'));
    expect(count('b')).toBe(1);
  });
});

describe('embed / embedMany with the Vercel AI SDK', () => {
  it('embeds one value and many through a chain whose primary is down', async () => {
    const { gateway, count } = await downPrimary('429');
    const openai = createOpenAI({ baseURL: `${gateway.url}/v1`, apiKey: KEY });
    const one = await embed({ model: openai.embedding('search'), value: 'sunny day', maxRetries: 0 });
    expect(one.embedding).toEqual(expected('sunny day'));
    expect(one.usage.tokens).toBeGreaterThan(0);
    expect(one.response?.headers?.['x-switchboard-model']).toBe('b');
    const many = await embedMany({
      model: openai.embedding('search'),
      values: ['rain', 'snow', 'fog'],
      maxRetries: 0,
    });
    expect(many.embeddings).toEqual([expected('rain'), expected('snow'), expected('fog')]);
    expect(count('b')).toBe(2);
  });
});
