import { describe, expect, it } from 'vitest';
import { startGateway } from '../../src/gateway.js';
import { configFor, onCleanup, startMocks } from '../support/engine.js';

const KEY = 'sk-switchboard-test';
const LIMIT = 4096;

/** One gateway, and the same instance's `sb.fetch`: the two faces of one front door. */
async function faces() {
  const { mocks, close } = await startMocks({ a: {} });
  onCleanup(close);
  const config = configFor(mocks, { server: { api_keys: [KEY], max_body_bytes: LIMIT } });
  const gateway = await startGateway(config, { logger: false, port: 0 });
  onCleanup(() => gateway.close(1_000));
  const send = (face: 'gateway' | 'fetch', path: string, init: RequestInit) =>
    face === 'gateway'
      ? fetch(`${gateway.url}${path}`, init)
      : gateway.switchboard.fetch(`http://switchboard.local${path}`, init);
  return { send, upstreamCalls: () => mocks.a!.stats().requests };
}

const auth = { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' };
const hi = { model: 'main', messages: [{ role: 'user', content: 'Hi' }] };

const CASES: Array<{ name: string; path?: string; init: RequestInit; status: number; code: string }> = [
  {
    name: 'malformed JSON',
    init: { method: 'POST', headers: auth, body: '{"model":' },
    status: 400,
    code: 'invalid_json',
  },
  {
    name: 'an empty body',
    init: { method: 'POST', headers: auth, body: '' },
    status: 400,
    code: 'invalid_json',
  },
  {
    name: 'a body that is not an object',
    init: { method: 'POST', headers: auth, body: '[1, 2]' },
    status: 400,
    code: 'invalid_request',
  },
  {
    name: 'messages of the wrong type',
    init: { method: 'POST', headers: auth, body: JSON.stringify({ model: 'main', messages: 'hi' }) },
    status: 400,
    code: 'invalid_request',
  },
  {
    name: 'stream of the wrong type',
    init: { method: 'POST', headers: auth, body: JSON.stringify({ ...hi, stream: 'yes' }) },
    status: 400,
    code: 'invalid_request',
  },
  {
    name: 'an unknown route',
    init: { method: 'POST', headers: auth, body: JSON.stringify({ ...hi, model: 'no-such-route' }) },
    status: 404,
    code: 'model_not_found',
  },
  {
    name: 'an oversize body',
    init: { method: 'POST', headers: auth, body: JSON.stringify({ ...hi, pad: 'x'.repeat(LIMIT) }) },
    status: 413,
    code: 'request_too_large',
  },
  {
    name: 'a missing key',
    init: { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(hi) },
    status: 401,
    code: 'invalid_api_key',
  },
  {
    name: 'a wrong key',
    init: { method: 'POST', headers: { ...auth, authorization: 'Bearer nope' }, body: JSON.stringify(hi) },
    status: 401,
    code: 'invalid_api_key',
  },
  {
    name: 'an unknown path',
    path: '/v1/nothing-here',
    init: { method: 'GET', headers: auth },
    status: 404,
    code: 'not_found',
  },
  {
    name: 'a wrong method on a known path',
    path: '/v1/chat/completions',
    init: { method: 'GET', headers: auth },
    status: 405,
    code: 'method_not_allowed',
  },
];

describe('the two faces (gateway and sb.fetch) share one front door', () => {
  it.each(CASES)('$name: the same status, code and body on both, and no upstream call', async (c) => {
    const { send, upstreamCalls } = await faces();
    const path = c.path ?? '/v1/chat/completions';
    const [viaGateway, viaFetch] = [await send('gateway', path, c.init), await send('fetch', path, c.init)];
    const gatewayBody = (await viaGateway.json()) as { error: { code: string } };
    const fetchBody: unknown = await viaFetch.json();
    expect(viaGateway.status).toBe(c.status);
    expect(gatewayBody.error.code).toBe(c.code);
    expect(viaFetch.status).toBe(viaGateway.status);
    expect(fetchBody).toEqual(gatewayBody);
    expect(viaFetch.headers.get('allow')).toBe(viaGateway.headers.get('allow'));
    expect(upstreamCalls()).toBe(0);
  });

  it('a wrong method is answered with Allow', async () => {
    const { send } = await faces();
    const res = await send('gateway', '/v1/models', { method: 'POST', headers: auth, body: '{}' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, HEAD');
  });

  it('a good request is answered on both, by the upstream, once each', async () => {
    const { send, upstreamCalls } = await faces();
    const init = { method: 'POST', headers: auth, body: JSON.stringify(hi) };
    for (const face of ['gateway', 'fetch'] as const) {
      const res = await send(face, '/v1/chat/completions', init);
      expect(res.status).toBe(200);
      expect(
        ((await res.json()) as { choices: Array<{ message: { content: string } }> }).choices[0]?.message
          .content,
      ).toBe('Answer from a.');
      expect(res.headers.get('x-switchboard-model')).toBe('a');
    }
    expect(upstreamCalls()).toBe(2);
  });
});
