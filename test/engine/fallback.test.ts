import { describe, expect, it } from 'vitest';
import { RequestFailedError } from '../../src/routing/errors.js';
import { createSwitchboard } from '../../src/switchboard.js';
import { configFor, hello, onCleanup, startEngine, startMocks } from '../support/engine.js';

const setup = (faults: Record<string, string>, overrides: Record<string, unknown> = {}) =>
  startEngine(faults, overrides);

describe('fallback chain', () => {
  it('answers from the primary when it is healthy, one upstream request', async () => {
    const { sb, count } = await setup({ a: 'ok', b: 'ok' });
    const { completion, metadata } = await sb.chat(hello());
    expect(completion.choices[0]?.message).toMatchObject({ content: 'Answer from a.' });
    expect(metadata).toMatchObject({ model: 'a', provider: 'p-a', route: 'main', fallbacks: 0, retries: 0 });
    expect(metadata.usage?.completion_tokens).toBe(3);
    expect(metadata.costUsd).toBeCloseTo((metadata.usage!.prompt_tokens * 1 + 3 * 2) / 1e6, 12);
    expect([count('a'), count('b')]).toEqual([1, 0]);
  });

  it('retries a 503 with backoff, then falls back to the next model', async () => {
    const { sb, count, events } = await setup({ a: '503', b: 'ok' });
    const { completion, metadata } = await sb.chat(hello());
    expect(completion.choices[0]?.message).toMatchObject({ content: 'Answer from b.' });
    expect([count('a'), count('b')]).toEqual([3, 1]);
    expect(metadata.attempts.map((a) => [a.model, a.outcome, a.status ?? null])).toEqual([
      ['a', 'error', 503],
      ['a', 'error', 503],
      ['a', 'error', 503],
      ['b', 'success', null],
    ]);
    expect(metadata).toMatchObject({ fallbacks: 1, retries: 2, model: 'b' });
    expect(events.filter((e) => e.type === 'retry.scheduled')).toHaveLength(2);
    const fallback = events.find((e) => e.type === 'fallback');
    expect(fallback).toMatchObject({ from: 'a', to: 'b', sameProvider: false });
  });

  it('never retries or fails over a 400: the caller gets the provider message', async () => {
    const { sb, count } = await setup({ a: '400', b: 'ok' });
    const error = await sb.chat(hello()).catch((e) => e);
    expect(error).toBeInstanceOf(RequestFailedError);
    expect(error).toMatchObject({ code: 'upstream_client_error', status: 400 });
    expect([count('a'), count('b')]).toEqual([1, 0]);
  });

  it('fails over a 401 at once, without retrying it', async () => {
    const { sb, count } = await setup({ a: '401', b: 'ok' });
    const { metadata } = await sb.chat(hello());
    expect(metadata.model).toBe('b');
    expect([count('a'), count('b')]).toEqual([1, 1]);
    expect(metadata.attempts[0]).toMatchObject({ errorKind: 'provider', status: 401 });
  });

  it.each(['bad-json', 'empty-choices', 'reset', '502', '529'])(
    'treats %s as transient: retried, then failed over',
    async (fault) => {
      const { sb, count } = await setup({ a: fault, b: 'ok' });
      const { metadata } = await sb.chat(hello());
      expect(metadata.model).toBe('b');
      expect([count('a'), count('b')]).toEqual([3, 1]);
    },
  );

  it('walks the whole chain and reports every attempt when all fail', async () => {
    const { sb, count } = await setup({ a: '503', b: '500' }, { retry: { max_retries: 0 } });
    const error = await sb.chat(hello()).catch((e) => e);
    expect(error).toMatchObject({ code: 'all_models_failed', status: 503 });
    expect(error.message).toContain('a: 503');
    expect(error.message).toContain('b: 500');
    expect(error.message).not.toContain('127.0.0.1');
    expect([count('a'), count('b')]).toEqual([1, 1]);
  });

  it('sends the upstream model name and passes every other field through', async () => {
    const { mocks } = await startMocks({ a: {} });
    onCleanup(async () => mocks.a!.close());
    const config = configFor(mocks);
    (config.models as Record<string, Record<string, unknown>>).a!.model = 'upstream-a-v2';
    const sb = createSwitchboard(config, { logger: false });
    onCleanup(() => sb.close());
    const tools = [{ type: 'function', function: { name: 'f', parameters: {} } }];
    const { completion } = await sb.chat(
      hello('a', { temperature: 0.3, tools, response_format: { type: 'json_object' } }),
    );
    expect(completion.model).toBe('upstream-a-v2');
    const sent = mocks.a!.stats().log[0]?.body as Record<string, unknown>;
    expect(sent).toMatchObject({
      model: 'upstream-a-v2',
      temperature: 0.3,
      tools,
      response_format: { type: 'json_object' },
    });
  });

  it('picks the chain from a model name (then its fallbacks), `models: [...]`, or an explicit route', async () => {
    const { mocks } = await startMocks({ a: { fault: '503' }, b: {}, c: {} });
    onCleanup(async () => Promise.all(Object.values(mocks).map((m) => m.close())));
    const config = configFor(mocks, {
      retry: { max_retries: 0 },
      routes: { main: ['a', 'b'], other: ['c'] },
    });
    (config.models as Record<string, Record<string, unknown>>).a!.fallbacks = ['c'];
    const sb = createSwitchboard(config, { logger: false });
    onCleanup(() => sb.close());
    expect((await sb.chat(hello('a'))).metadata).toMatchObject({ model: 'c', chain: ['a', 'c'] });
    expect((await sb.chat({ ...hello('ignored'), models: ['b', 'c'] })).metadata).toMatchObject({
      model: 'b',
      chain: ['b', 'c'],
    });
    expect((await sb.chat(hello('a'), { route: 'other' })).metadata).toMatchObject({
      model: 'c',
      route: 'other',
    });
    const unknown = await sb.chat(hello('kimi-k2.7')).catch((e) => e);
    expect(unknown).toMatchObject({ code: 'model_not_found' });
    expect(unknown.message).toMatch(/Routes: main, other\. Models: a, b, c/);
    const bad = await sb.chat({ ...hello(), models: ['b', 'https://evil.example/v1'] }).catch((e) => e);
    expect(bad).toMatchObject({ code: 'model_not_found' });
  });

  it('falls back on context length only to models with a larger context window', async () => {
    const { mocks } = await startMocks({ a: { fault: 'context-length' }, b: {}, c: {} });
    onCleanup(async () => Promise.all(Object.values(mocks).map((m) => m.close())));
    const config = configFor(mocks);
    const models = config.models as Record<string, Record<string, unknown>>;
    models.a!.context_window = 8_000;
    models.b!.context_window = 4_000;
    models.c!.context_window = 32_000;
    const sb = createSwitchboard(config, { logger: false });
    onCleanup(() => sb.close());
    const { metadata } = await sb.chat(hello());
    expect(metadata.model).toBe('c');
    expect(metadata.skipped).toEqual([{ model: 'b', reason: 'context_window' }]);
    expect(mocks.a!.stats().requests).toBe(1);
    expect(mocks.b!.stats().requests).toBe(0);
  });

  it('returns a content-policy refusal without falling back (unless the route opts in)', async () => {
    const { sb, count } = await setup({ a: 'content-filter', b: 'ok' });
    const error = await sb.chat(hello()).catch((e) => e);
    expect(error).toMatchObject({ code: 'content_policy', status: 400 });
    expect([count('a'), count('b')]).toEqual([1, 0]);

    const opted = await setup(
      { a: 'content-filter', b: 'ok' },
      { routes: { main: { models: ['a', 'b'], fallback_on_content_policy: true } } },
    );
    expect((await opted.sb.chat(hello())).metadata.model).toBe('b');
  });

  it('two instances share nothing: a breaker opened in one is closed in the other', async () => {
    const { mocks, close } = await startMocks({ a: { fault: '503' }, b: {} });
    onCleanup(close);
    const config = configFor(mocks, { retry: { max_retries: 0 }, circuit_breaker: { failure_threshold: 1 } });
    const one = createSwitchboard(config, { logger: false });
    const two = createSwitchboard(config, { logger: false });
    onCleanup(
      () => one.close(),
      () => two.close(),
    );
    await one.chat(hello());
    expect(one.health.breaker('a').state).toBe('open');
    expect(two.health.breaker('a').state).toBe('closed');
  });
});
