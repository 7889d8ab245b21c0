import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/index.js';
import { type Gateway, startGateway } from '../../src/gateway.js';
import { resolveChain } from '../../src/routing/chain/resolve-chain.js';
import { UnknownModelError } from '../../src/routing/errors.js';
import { bearerToken, createBearerCheck } from '../../src/server/auth.js';
import { configFor, hello, onCleanup, startMocks } from '../support/engine.js';

describe('the Bearer scheme is case-insensitive (RFC 9110 §11.1)', () => {
  const check = createBearerCheck(['sk-gw-right']);

  it.each(['Bearer sk-gw-right', 'bearer sk-gw-right', 'BEARER sk-gw-right', 'bEaReR   sk-gw-right  '])(
    'accepts %j',
    (header) => {
      expect(check(header)).toBe(true);
    },
  );

  it.each([
    undefined,
    '',
    'Bearer',
    'Bearer ',
    'Bearer sk-gw-wrong',
    'bearer sk-gw-wrong',
    'Basic sk-gw-right',
    'Bearersk-gw-right',
    'sk-gw-right',
    'Token sk-gw-right',
  ])('refuses %j', (header) => {
    expect(check(header)).toBe(false);
  });

  it('reads the key of any casing of the scheme', () => {
    expect(bearerToken('BeArEr abc')).toBe('abc');
    expect(bearerToken('Bearer')).toBeUndefined();
  });

  it('over HTTP: bearer and BEARER get in, a wrong key does not', async () => {
    const { mocks, close } = await startMocks({ a: {} });
    onCleanup(close);
    const gateway: Gateway = await startGateway(configFor(mocks, { server: { api_keys: ['${SB_KEY}'] } }), {
      logger: false,
      port: 0,
      env: { SB_KEY: 'sk-gw-right' },
    });
    onCleanup(() => gateway.close(1_000));
    const post = (authorization: string) =>
      fetch(`${gateway.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization },
        body: JSON.stringify(hello()),
      });
    expect((await post('bearer sk-gw-right')).status).toBe(200);
    expect((await post('BEARER sk-gw-right')).status).toBe(200);
    expect((await post('BEARER sk-gw-wrong')).status).toBe(401);
  });
});

describe('an unknown model name is echoed capped', () => {
  const config = parseConfig({
    providers: { p: { base_url: 'http://127.0.0.1:9' } },
    models: { a: { provider: 'p' } },
    routes: { main: ['a'] },
  });

  it.each([
    ['model', { model: 'x'.repeat(1_000_000) }],
    ['models', { models: ['y'.repeat(1_000_000)] }],
    ['route', { route: 'z'.repeat(1_000_000) }],
  ])('%s: the first 64 characters and an ellipsis', (_field, selector) => {
    let caught: unknown;
    try {
      resolveChain(config, selector);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(UnknownModelError);
    const message = (caught as Error).message;
    expect(message.length).toBeLessThan(500);
    expect(message).toMatch(/"([xyz])\1{63}…"/);
  });

  it('a short name is shown whole; a value that is not a name is shown as JSON, capped too', () => {
    expect(() => resolveChain(config, { model: 'gpt-9' })).toThrow(/The model "gpt-9" does not exist/);
    expect(() => resolveChain(config, { models: [42] })).toThrow(/models\[0\]: unknown model 42\./);
    expect(() => resolveChain(config, { models: [{ a: 'b'.repeat(1000) }] })).toThrow(
      /unknown model \{"a":"b{58}…\./,
    );
  });

  it('over HTTP: a 1 MB model name gets a small 404', async () => {
    const { mocks, close } = await startMocks({ a: {} });
    onCleanup(close);
    const gateway: Gateway = await startGateway(configFor(mocks), { logger: false, port: 0 });
    onCleanup(() => gateway.close(1_000));
    const res = await fetch(`${gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(hello('m'.repeat(1_000_000))),
    });
    expect(res.status).toBe(404);
    const text = await res.text();
    expect(text.length).toBeLessThan(1_000);
    expect(JSON.parse(text)).toMatchObject({ error: { code: 'model_not_found', param: 'model' } });
  });
});
