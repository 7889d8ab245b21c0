import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { type Gateway, startGateway } from '../../src/gateway.js';
import { configFor, onCleanup, startMocks } from '../support/engine.js';

async function setup(
  faults: Record<string, string>,
  overrides: Record<string, unknown> = {},
  env: Record<string, string> = {},
) {
  const specs = Object.fromEntries(Object.entries(faults).map(([name, fault]) => [name, { fault }]));
  const { mocks, close } = await startMocks(specs);
  onCleanup(close);
  const gateway: Gateway = await startGateway(configFor(mocks, { retry: { max_retries: 0 }, ...overrides }), {
    logger: false,
    port: 0,
    env,
  });
  onCleanup(() => gateway.close(1_000));
  const count = (name: string) => mocks[name]!.stats().requests;
  const client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: env.SB_KEY ?? 'none', maxRetries: 0 });
  return { gateway, mocks, count, client, url: gateway.url };
}

const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
const hi = { model: 'main', messages: [{ role: 'user', content: 'Hi' }] };

describe('gateway: the OpenAI SDK pointed at it', () => {
  it('answers through a failing primary, with the metadata headers', async () => {
    const { client, count } = await setup({ a: '503', b: 'ok' });
    const { data, response } = await client.chat.completions
      .create(
        { model: 'main', messages: [{ role: 'user', content: 'Hi' }] },
        { headers: { 'x-request-id': 'req-42' } },
      )
      .withResponse();
    expect(data.choices[0]?.message.content).toBe('Answer from b.');
    expect(Object.fromEntries([...response.headers].filter(([k]) => k.startsWith('x-')))).toMatchObject({
      'x-request-id': 'req-42',
      'x-switchboard-model': 'b',
      'x-switchboard-provider': 'p-b',
      'x-switchboard-route': 'main',
      'x-switchboard-attempts': '2',
      'x-switchboard-fallbacks': '1',
    });
    expect(Number(response.headers.get('x-switchboard-cost-usd'))).toBeGreaterThan(0);
    expect([count('a'), count('b')]).toEqual([1, 1]);
  });

  it('streams through a failing primary', async () => {
    const { client } = await setup({ a: '503', b: 'ok' });
    const stream = await client.chat.completions.create({
      model: 'main',
      messages: [{ role: 'user', content: 'Hi' }],
      stream: true,
    });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
    expect(text).toBe('Answer from b.');
  });

  it('raises the SDK error classes for 400, 401, 404 and 503', async () => {
    const { client, mocks } = await setup(
      { a: '400' },
      { server: { api_keys: ['${SB_KEY}'] } },
      { SB_KEY: 'sk-gw-test' },
    );
    const create = (c: OpenAI, model: string) =>
      c.chat.completions.create({ model, messages: [{ role: 'user', content: 'Hi' }] });
    await expect(create(client, 'main')).rejects.toBeInstanceOf(OpenAI.BadRequestError);
    await expect(create(client, 'nope')).rejects.toBeInstanceOf(OpenAI.NotFoundError);
    const stranger = new OpenAI({ baseURL: client.baseURL, apiKey: 'wrong', maxRetries: 0 });
    await expect(create(stranger, 'main')).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
    mocks.a!.setFault('503');
    const unavailable = await create(client, 'main').catch((e) => e);
    expect(unavailable).toBeInstanceOf(OpenAI.InternalServerError);
    expect(unavailable.status).toBe(503);
    expect(unavailable.code).toBe('all_models_failed');
  });
});

describe('gateway: bad input gets a clear error and makes no upstream call', () => {
  it.each([
    ['malformed JSON', '{"model": "main", "messages": [', 400, 'invalid_json', null],
    ['missing messages', { model: 'main' }, 400, 'invalid_request', 'messages'],
    ['wrong types', { ...hi, temperature: 'hot' }, 400, 'invalid_request', 'temperature'],
    [
      'a bad message',
      { model: 'main', messages: [{ content: 'no role' }] },
      400,
      'invalid_request',
      'messages[0].role',
    ],
    ['not an object', '[1, 2]', 400, 'invalid_request', null],
    ['an unknown model', { ...hi, model: 'gpt-9' }, 404, 'model_not_found', 'model'],
  ])('%s', async (_name, body, status, code, param) => {
    const { url, count } = await setup({ a: 'ok' });
    const response = await post(url, body);
    expect(response.status).toBe(status);
    const json = (await response.json()) as {
      error: { code: string; param: string | null; message: string; type: string };
    };
    expect(json.error).toMatchObject({ code, param });
    expect(json.error.message.length).toBeGreaterThan(10);
    expect(count('a')).toBe(0);
  });

  it('rejects an oversize body with 413', async () => {
    const { url, count } = await setup({ a: 'ok' }, { server: { max_body_bytes: 1024 } });
    const response = await post(url, { ...hi, messages: [{ role: 'user', content: 'x'.repeat(5000) }] });
    expect(response.status).toBe(413);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('request_too_large');
    expect(count('a')).toBe(0);
  });

  it('refuses an oversize header block (431) without an upstream call', async () => {
    const { url, count } = await setup({ a: 'ok' });
    const response = await post(url, hi, { 'x-padding': 'x'.repeat(20 * 1024) });
    expect(response.status).toBe(431);
    expect(count('a')).toBe(0);
  });

  it('answers unknown paths with a 404 in OpenAI’s shape', async () => {
    const { url } = await setup({ a: 'ok' });
    const response = await fetch(`${url}/v1/audio/speech`, { method: 'POST', body: '{}' });
    expect(response.status).toBe(404);
    expect(((await response.json()) as { error: { type: string } }).error.type).toBe('invalid_request_error');
  });
});

describe('gateway: auth, health, status, models', () => {
  it('without api_keys everything is open; with them /v1, /status and /metrics need the key but /healthz does not', async () => {
    const open = await setup({ a: 'ok' });
    expect((await fetch(`${open.url}/v1/models`)).status).toBe(200);

    const locked = await setup(
      { a: 'ok' },
      { server: { api_keys: ['${SB_KEY}'] } },
      { SB_KEY: 'sk-gw-test' },
    );
    for (const path of ['/v1/models', '/status', '/metrics']) {
      expect((await fetch(`${locked.url}${path}`)).status).toBe(401);
      expect(
        (await fetch(`${locked.url}${path}`, { headers: { authorization: 'Bearer nope' } })).status,
      ).toBe(401);
      expect(
        (await fetch(`${locked.url}${path}`, { headers: { authorization: 'Bearer sk-gw-test' } })).status,
      ).toBe(200);
    }
    expect((await fetch(`${locked.url}/healthz`)).status).toBe(200);
    expect(locked.count('a')).toBe(0);
  });

  it('lists routes and models; /status shows breakers and never a secret', async () => {
    const { mocks, close } = await startMocks({ a: { fault: '503', apiKey: 'sk-upstream-secret' }, b: {} });
    onCleanup(close);
    const config = configFor(mocks, { retry: { max_retries: 0 }, circuit_breaker: { failure_threshold: 1 } });
    (config.providers as Record<string, Record<string, unknown>>)['p-a']!.api_key = '${UPSTREAM_KEY}';
    const gateway = await startGateway(config, {
      logger: false,
      port: 0,
      env: { UPSTREAM_KEY: 'sk-upstream-secret' },
    });
    onCleanup(() => gateway.close(1_000));
    const models = (await (await fetch(`${gateway.url}/v1/models`)).json()) as {
      data: Array<{ id: string }>;
    };
    expect(models.data.map((m) => m.id)).toEqual(['main', 'a', 'b']);
    await post(gateway.url, hi);
    expect(mocks.a!.stats().byStatus).toEqual({ '503': 1 });
    const statusText = await (await fetch(`${gateway.url}/status`)).text();
    const status = JSON.parse(statusText);
    expect(status.models.a.breaker.state).toBe('open');
    expect(status.routes.main.chain).toEqual(['a', 'b']);
    for (const path of ['/status', '/metrics', '/v1/models']) {
      const text = await (await fetch(`${gateway.url}${path}`)).text();
      expect(text).not.toContain('sk-upstream-secret');
      expect(text).not.toContain(mocks.a!.url);
    }
  });
});
