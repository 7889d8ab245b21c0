import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { embeddingVector } from '../../src/mock/embedding-vectors.js';
import { DIMS, startEmbeddings } from './setup.js';

const GEMINI = { space: 'gemini-embedding-001', upstream: 'gemini-embedding-001' };
const gemini = (fault = 'ok') => ({ protocol: 'gemini' as const, fault });

describe('Gemini native embeddings through the adapter', () => {
  // The simulators require GEMINI_KEY in x-goog-api-key (403 without it): an answer proves it was sent.
  it('batchEmbedContents, key in x-goog-api-key, same-space fallback between two regions', async () => {
    const { sb, mocks, count } = await startEmbeddings(
      { eu: gemini('503'), us: gemini() },
      { search: ['eu', 'us'] },
      { eu: GEMINI, us: GEMINI },
    );
    const client = new OpenAI({ baseURL: 'http://sb.local/v1', apiKey: 'none', fetch: sb.fetch });
    const { data, response } = await client.embeddings
      .create({ model: 'search', input: ['alpha', 'beta'], dimensions: 4, encoding_format: 'float' })
      .withResponse();
    expect(data.data.map((d) => d.embedding)).toEqual([
      embeddingVector('gemini-embedding-001', 'alpha', 4),
      embeddingVector('gemini-embedding-001', 'beta', 4),
    ]);
    // Gemini reports no token count: estimated at ~4 characters a token (2 + 1).
    expect(data.usage).toEqual({ prompt_tokens: 3, total_tokens: 3 });
    expect(response.headers.get('x-switchboard-model')).toBe('us');
    expect(count('eu')).toBe(2);
    const entry = mocks.us!.stats().log.at(-1)!;
    expect(entry.model).toBe('gemini-embedding-001');
    expect(entry.body).toEqual({
      requests: [
        {
          model: 'models/gemini-embedding-001',
          content: { parts: [{ text: 'alpha' }] },
          outputDimensionality: 4,
        },
        {
          model: 'models/gemini-embedding-001',
          content: { parts: [{ text: 'beta' }] },
          outputDimensionality: 4,
        },
      ],
    });
  });

  it('cools a model down on a Gemini RetryInfo and serves from the other region', async () => {
    const { sb, events, count } = await startEmbeddings(
      { eu: gemini('429ms:60000'), us: gemini() },
      { search: ['eu', 'us'] },
      { eu: GEMINI, us: GEMINI },
    );
    const first = await sb.embed({ model: 'search', input: 'x' });
    expect(first.metadata.model).toBe('us');
    expect(first.embedding.vectors[0]).toHaveLength(DIMS);
    expect(events.some((e) => e.type === 'model.cooling_down' && e.model === 'eu')).toBe(true);
    await sb.embed({ model: 'search', input: 'y' });
    expect(count('eu')).toBe(1); // cooling down: skipped on the second request
    expect(count('us')).toBe(2);
  });

  it('refuses token arrays on a Gemini-only chain with a 400 naming input, and calls no upstream', async () => {
    const { sb, count } = await startEmbeddings({ eu: gemini() }, { search: ['eu'] }, { eu: GEMINI });
    const res = await sb.fetch('http://sb.local/v1/embeddings', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'search', input: [[1, 2, 3]] }),
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('unsupported_field');
    expect(body.error.message).toMatch(/input as token arrays is not supported by gemini/);
    expect(count('eu')).toBe(0);
  });

  it('a Gemini vector of the wrong length is a bad answer, never passed on', async () => {
    const { sb, count } = await startEmbeddings(
      { eu: { protocol: 'gemini', embeddingDimensions: 3 }, us: gemini() },
      { search: ['eu', 'us'] },
      { eu: GEMINI, us: GEMINI },
    );
    const result = await sb.embed({ model: 'search', input: 'z' });
    expect(result.metadata.model).toBe('us');
    expect(result.metadata.attempts[0]).toMatchObject({ model: 'eu', errorCode: 'bad_response' });
    expect(count('us')).toBe(1);
  });
});
