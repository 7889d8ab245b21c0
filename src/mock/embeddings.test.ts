import { afterEach, describe, expect, it } from 'vitest';
import { readJson } from '../../test/support/http.js';
import { embeddingVector } from './embedding-vectors.js';
import { type MockProvider, type MockProviderOptions, startMockProvider } from './index.js';

const providers: MockProvider[] = [];
async function start(opts: MockProviderOptions = {}): Promise<MockProvider> {
  const p = await startMockProvider({ embeddingDimensions: 6, ...opts });
  providers.push(p);
  return p;
}
afterEach(async () => {
  await Promise.all(providers.splice(0).map((p) => p.close()));
});

const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
type List = {
  data: Array<{ index: number; embedding: number[] | string }>;
  model: string;
  usage: { prompt_tokens: number; total_tokens: number };
};

describe('the simulator’s embeddings, OpenAI wire', () => {
  it('answers deterministic unit vectors, honouring dimensions, with usage', async () => {
    const p = await start();
    const res = await post(`${p.baseUrl}/embeddings`, {
      model: 'm',
      input: ['abcd', 'efgh1'],
      dimensions: 3,
    });
    expect(res.status).toBe(200);
    const list = await readJson<List>(res);
    expect(list.data.map((d) => d.embedding)).toEqual([
      embeddingVector('m', 'abcd', 3),
      embeddingVector('m', 'efgh1', 3),
    ]);
    const norm = Math.hypot(...(list.data[0]!.embedding as number[]));
    expect(norm).toBeCloseTo(1, 5);
    expect(list.usage).toEqual({ prompt_tokens: 3, total_tokens: 3 });
    expect(embeddingVector('m', 'abcd', 3)).not.toEqual(embeddingVector('other', 'abcd', 3));
  });

  it('answers base64 float32 when asked, and the default length otherwise', async () => {
    const p = await start();
    const list = await readJson<List>(
      await post(`${p.baseUrl}/embeddings`, { model: 'm', input: 'x', encoding_format: 'base64' }),
    );
    const bytes = Buffer.from(list.data[0]!.embedding as string, 'base64');
    expect(bytes.length).toBe(6 * 4);
    expect(Array.from({ length: 6 }, (_, i) => bytes.readFloatLE(i * 4))).toEqual(
      embeddingVector('m', 'x', 6),
    );
  });

  it.each([
    ['503', 503],
    ['429:7', 429],
    ['context-length', 400],
    ['echo-key', 400],
  ])('fault %s → %d', async (fault, status) => {
    const p = await start({ fault });
    const res = await post(`${p.baseUrl}/embeddings`, { model: 'm', input: 'x' });
    expect(res.status).toBe(status);
    if (fault.startsWith('429')) expect(res.headers.get('retry-after')).toBe('7');
  });

  it('bad-json truncates, empty-choices answers no data, a bad input is a 400', async () => {
    const bad = await start({ fault: 'bad-json' });
    const text = await (await post(`${bad.baseUrl}/embeddings`, { model: 'm', input: 'x' })).text();
    expect(() => JSON.parse(text)).toThrow();
    const empty = await start({ fault: 'empty-choices' });
    expect((await readJson<List>(await post(`${empty.baseUrl}/embeddings`, { input: 'x' }))).data).toEqual(
      [],
    );
    const ok = await start();
    expect((await post(`${ok.baseUrl}/embeddings`, { input: 5 })).status).toBe(400);
    expect(ok.stats().requests).toBe(1);
  });
});

describe('the simulator’s embeddings, Gemini wire', () => {
  const KEY = 'g-key';
  const content = (text: string) => ({ content: { parts: [{ text }] } });

  it('batchEmbedContents and embedContent, outputDimensionality honoured, the key required', async () => {
    const p = await start({ protocol: 'gemini', apiKey: KEY });
    const base = `${p.baseUrl}/v1beta/models/gemini-embedding-001`;
    const batch = await post(
      `${base}:batchEmbedContents`,
      {
        requests: [
          { model: 'models/gemini-embedding-001', ...content('a'), outputDimensionality: 2 },
          content('b'),
        ],
      },
      { 'x-goog-api-key': KEY },
    );
    expect(await batch.json()).toEqual({
      embeddings: [
        { values: embeddingVector('gemini-embedding-001', 'a', 2) },
        { values: embeddingVector('gemini-embedding-001', 'b', 6) },
      ],
    });
    const one = await post(`${base}:embedContent`, content('a'), { 'x-goog-api-key': KEY });
    expect(await one.json()).toEqual({
      embedding: { values: embeddingVector('gemini-embedding-001', 'a', 6) },
    });
    expect((await post(`${base}:embedContent`, content('a'))).status).toBe(403);
  });

  it('a 429 carries Google’s RetryInfo', async () => {
    const p = await start({ protocol: 'gemini', fault: '429ms:1500' });
    const res = await post(`${p.baseUrl}/v1beta/models/g:batchEmbedContents`, { requests: [content('a')] });
    expect(res.status).toBe(429);
    expect(JSON.stringify(await res.json())).toContain('"retryDelay":"1.5s"');
  });
});
