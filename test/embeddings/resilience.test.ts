import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { RequestFailedError } from '../../src/routing/errors.js';
import { waitForStats } from '../support/http.js';
import { startEmbeddings } from './setup.js';

const SECRET = 'plain-embed-secret';

describe('embeddings with the whole engine behind them', () => {
  it('an attempt that never answers times out and falls back', async () => {
    const { sb, count } = await startEmbeddings(
      { a: { fault: 'timeout' }, b: {} },
      { search: ['a', 'b'] },
      {},
      {},
      (c) =>
        Object.assign(c, {
          timeouts: { ...c.timeouts, attempt_ms: 150 },
          retry: { ...c.retry, max_retries: 0 },
        }),
    );
    const { metadata } = await sb.embed({ model: 'search', input: 'x' });
    expect(metadata.model).toBe('b');
    expect(metadata.attempts.map((a) => [a.model, a.outcome])).toEqual([
      ['a', 'timeout'],
      ['b', 'success'],
    ]);
    expect(count('b')).toBe(1);
  });

  it('a slow primary is hedged on a route with hedge, and the loser is aborted', async () => {
    const { sb, mocks } = await startEmbeddings(
      { a: { fault: 'slow-first-token:5000' }, b: {} },
      { search: { models: ['a', 'b'], hedge: { after_ms: 50 } } },
    );
    const { metadata } = await sb.embed({ model: 'search', input: 'x' });
    expect(metadata).toMatchObject({ model: 'b', hedges: 1 });
    await waitForStats(mocks.a!, (s) => s.log.some((e) => e.outcome === 'aborted'));
  });

  it('a breaker opens on repeated failures and the next request skips the model', async () => {
    const { sb, events, count } = await startEmbeddings(
      { a: { fault: '500' }, b: {} },
      { search: ['a', 'b'] },
      {},
      {},
      (c) =>
        Object.assign(c, {
          retry: { ...c.retry, max_retries: 0 },
          circuit_breaker: {
            failure_threshold: 2,
            window_ms: 60_000,
            cooldown_ms: 60_000,
            max_cooldown_ms: 60_000,
          },
        }),
    );
    await sb.embed({ model: 'search', input: '1' });
    await sb.embed({ model: 'search', input: '2' });
    expect(events.some((e) => e.type === 'breaker.transition' && e.model === 'a' && e.to === 'open')).toBe(
      true,
    );
    const third = await sb.embed({ model: 'search', input: '3' });
    expect(third.metadata.skipped).toEqual([expect.objectContaining({ model: 'a', reason: 'breaker_open' })]);
    expect(count('a')).toBe(2);
    expect(count('b')).toBe(3);
  });

  it('a 400 from the upstream goes back to the caller without fallback', async () => {
    const { sb, count } = await startEmbeddings({ a: { fault: '400' }, b: {} }, { search: ['a', 'b'] });
    await expect(sb.embed({ model: 'search', input: 'x' })).rejects.toMatchObject({
      code: 'upstream_client_error',
      status: 400,
    });
    expect(count('b')).toBe(0);
  });

  it('the caller’s abort cancels the upstream call', async () => {
    const { sb, mocks } = await startEmbeddings({ a: { fault: 'timeout' } }, { search: ['a'] });
    const controller = new AbortController();
    const pending = sb.embed({ model: 'search', input: 'x' }, { signal: controller.signal });
    await waitForStats(mocks.a!, (s) => s.requests === 1);
    controller.abort();
    await expect(pending).rejects.toBeInstanceOf(RequestFailedError);
    await expect(pending).rejects.toMatchObject({ code: 'cancelled' });
    await waitForStats(mocks.a!, (s) => s.log.some((e) => e.outcome === 'aborted'));
  });

  it('an upstream that echoes our key never shows it to the caller', async () => {
    const { sb } = await startEmbeddings(
      { a: { fault: 'echo-key', apiKey: SECRET } },
      { search: ['a'] },
      {},
      {},
      (c) =>
        Object.assign((c.providers as Record<string, Record<string, unknown>>)['p-a']!, { api_key: SECRET }),
    );
    const client = new OpenAI({
      baseURL: 'http://sb.local/v1',
      apiKey: 'none',
      fetch: sb.fetch,
      maxRetries: 0,
    });
    const error = await client.embeddings.create({ model: 'search', input: 'x' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect(JSON.stringify((error as InstanceType<typeof OpenAI.BadRequestError>).error)).not.toContain(
      SECRET,
    );
    expect(String((error as Error).message)).not.toContain(SECRET);
  });
});

describe('sb.embed checks what library callers send', () => {
  it.each([
    [{ model: 'search', input: 'x', dimensions: 'x' }, 'dimensions', 'invalid_request'],
    [{ model: 'search', input: 'x', dimensions: 0 }, 'dimensions', 'invalid_request'],
    [{ model: 'search', input: 7 }, 'input', 'invalid_request'],
    [{ model: 'chat', input: 'x' }, 'model', 'model_kind_mismatch'],
  ])('%j → a 400 naming %s, no upstream call', async (body, param, code) => {
    const { sb, count } = await startEmbeddings({ a: {} }, { search: ['a'] });
    await expect(sb.embed(body as never)).rejects.toMatchObject({ status: 400, code, param });
    expect(count('a')).toBe(0);
  });
});
