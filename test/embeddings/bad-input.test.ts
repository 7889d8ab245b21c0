import { describe, expect, it } from 'vitest';
import { startGateway } from '../../src/gateway.js';
import { onCleanup } from '../support/engine.js';
import { startEmbeddings } from './setup.js';

const KEY = 'sk-switchboard-embed';
const LIMIT = 4096;

/** One gateway and the same instance's `sb.fetch` over an embeddings route `search` and a chat route `main`. */
async function faces() {
  const setup = await startEmbeddings({ a: {} }, { search: ['a'] }, {}, {}, (c) =>
    Object.assign(c, { server: { api_keys: [KEY], max_body_bytes: LIMIT } }),
  );
  const gateway = await startGateway(setup.config, { logger: false, port: 0 });
  onCleanup(() => gateway.close(1_000));
  const send = (face: 'gateway' | 'fetch', path: string, init: RequestInit) =>
    face === 'gateway'
      ? fetch(`${gateway.url}${path}`, init)
      : gateway.switchboard.fetch(`http://switchboard.local${path}`, init);
  return { send, upstreamCalls: () => setup.count('a') };
}

const headers = { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' };
const post = (body: unknown, extra: Record<string, string> = {}): RequestInit => ({
  method: 'POST',
  headers: { ...headers, ...extra },
  body: typeof body === 'string' ? body : JSON.stringify(body),
});
const ok = { model: 'search', input: 'hi' };

const CASES: Array<{
  name: string;
  path?: string;
  init: RequestInit;
  status: number;
  code: string;
  param?: string | null;
  message?: RegExp;
}> = [
  { name: 'malformed JSON', init: post('{"model":'), status: 400, code: 'invalid_json' },
  { name: 'an empty body', init: post(''), status: 400, code: 'invalid_json' },
  { name: 'a body that is not an object', init: post([1, 2]), status: 400, code: 'invalid_request' },
  { name: 'no model', init: post({ input: 'hi' }), status: 400, code: 'invalid_request', param: 'model' },
  { name: 'no input', init: post({ model: 'search' }), status: 400, code: 'invalid_request', param: 'input' },
  {
    name: 'input of the wrong type',
    init: post({ ...ok, input: 42 }),
    status: 400,
    code: 'invalid_request',
    param: 'input',
    message: /input: must be a string, a list of strings, a token array, or a list of token arrays/,
  },
  {
    name: 'an empty input list',
    init: post({ ...ok, input: [] }),
    status: 400,
    code: 'invalid_request',
    param: 'input',
  },
  {
    name: 'strings and tokens mixed',
    init: post({ ...ok, input: ['a', 1] }),
    status: 400,
    code: 'invalid_request',
    param: 'input',
  },
  {
    name: 'dimensions of the wrong type',
    init: post({ ...ok, dimensions: '8' }),
    status: 400,
    code: 'invalid_request',
    param: 'dimensions',
  },
  {
    name: 'dimensions past what the space produces',
    init: post({ ...ok, dimensions: 9 }),
    status: 400,
    code: 'invalid_request',
    param: 'dimensions',
    message: /dimensions: 9 is more than "a" produces \(8\)/,
  },
  {
    name: 'an unknown encoding_format',
    init: post({ ...ok, encoding_format: 'hex' }),
    status: 400,
    code: 'invalid_request',
    param: 'encoding_format',
  },
  {
    name: 'a field the endpoint does not serve',
    init: post({ ...ok, input_type: 'query' }),
    status: 400,
    code: 'unsupported_field',
    param: 'input_type',
    message: /input_type: is not supported by \/v1\/embeddings/,
  },
  {
    name: 'an unknown route',
    init: post({ ...ok, model: 'nope' }),
    status: 404,
    code: 'model_not_found',
  },
  {
    name: 'a chat model on /v1/embeddings',
    init: post({ ...ok, model: 'chat' }),
    status: 400,
    code: 'model_kind_mismatch',
    param: 'model',
    message: /"chat" is a chat model/,
  },
  {
    name: 'a chat route named by header',
    init: post(ok, { 'x-switchboard-route': 'main' }),
    status: 400,
    code: 'model_kind_mismatch',
  },
  {
    name: 'an embedding model on /v1/chat/completions',
    path: '/v1/chat/completions',
    init: post({ model: 'a', messages: [{ role: 'user', content: 'hi' }] }),
    status: 400,
    code: 'model_kind_mismatch',
    param: 'model',
    message: /"a" is an embedding model; send it to \/v1\/embeddings/,
  },
  {
    name: 'an embeddings route on /v1/chat/completions',
    path: '/v1/chat/completions',
    init: post({ model: 'search', messages: [{ role: 'user', content: 'hi' }] }),
    status: 400,
    code: 'model_kind_mismatch',
  },
  {
    name: 'a body past max_body_bytes',
    init: post({ ...ok, input: 'x'.repeat(LIMIT) }),
    status: 413,
    code: 'request_too_large',
  },
  {
    name: 'no key',
    init: { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(ok) },
    status: 401,
    code: 'invalid_api_key',
  },
];

describe('bad embeddings requests on both faces', () => {
  for (const face of ['gateway', 'fetch'] as const) {
    it.each(CASES)(`${face}: $name → $status $code, no upstream call`, async (c) => {
      const { send, upstreamCalls } = await faces();
      const res = await send(face, c.path ?? '/v1/embeddings', c.init);
      expect(res.status).toBe(c.status);
      const body = (await res.json()) as {
        error: { message: string; type: string; code: string; param: string | null };
      };
      expect(body.error.code).toBe(c.code);
      expect(typeof body.error.type).toBe('string');
      if (c.param !== undefined) expect(body.error.param).toBe(c.param);
      if (c.message) expect(body.error.message).toMatch(c.message);
      expect(upstreamCalls()).toBe(0);
    });
  }

  it('a good request still answers on both faces (the cases above are not refused for another reason)', async () => {
    const { send, upstreamCalls } = await faces();
    for (const face of ['gateway', 'fetch'] as const) {
      const res = await send(face, '/v1/embeddings', post(ok));
      expect(res.status).toBe(200);
      expect(((await res.json()) as { data: unknown[] }).data).toHaveLength(1);
    }
    expect(upstreamCalls()).toBe(2);
  });
});
