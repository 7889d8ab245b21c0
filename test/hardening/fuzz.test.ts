import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Gateway, startGateway } from '../../src/gateway.js';
import type { MockProvider } from '../../src/mock/index.js';
import { configFor, startMocks } from '../support/engine.js';

/**
 * Property: whatever a client throws at either face — broken JSON, bodies of the wrong shape, hostile
 * nesting, odd headers and query strings, unknown paths and methods — the answer is a 4xx in OpenAI's
 * error shape, no upstream is called, and no breaker, cooldown or retry-budget count moves; and the
 * gateway still answers a healthy request afterwards. Seeded and bounded in count.
 */

const KEY = 'sk-fuzz-gateway-key';
const RUNS = 120;

let gateway: Gateway;
let mocks: Record<string, MockProvider>;
let close: () => Promise<unknown>;

beforeAll(async () => {
  ({ mocks, close } = await startMocks({ a: {}, b: {} }));
  gateway = await startGateway(configFor(mocks, { server: { api_keys: [KEY], max_body_bytes: 16 * 1024 } }), {
    logger: false,
    port: 0,
  });
});

afterAll(async () => {
  await gateway.close(1_000);
  await close();
});

/** Everything an upstream, a breaker, a cooldown or the retry budget could show. */
function state() {
  const sb = gateway.switchboard;
  return JSON.stringify({
    upstream: Object.values(mocks).map((m) => m.stats().requests),
    breakers: ['a', 'b'].map((m) => sb.health.breaker(m).snapshot()),
    cooldowns: ['a', 'b'].map((m) => sb.health.cooldownUntil(m) ?? null),
    retries: sb.retryBudget.snapshot().retries,
  });
}

const jsonValue = fc.jsonValue({ maxDepth: 4 });
/** Bodies no chat endpoint accepts: broken JSON, the wrong shapes, hostile nesting, unknown models. */
const hostileBody = fc.oneof(
  fc.string({ maxLength: 200 }),
  jsonValue.map((v) => JSON.stringify(v)),
  fc
    .record({ model: fc.oneof(fc.string(), fc.integer()), messages: jsonValue })
    .map((v) => JSON.stringify(v)),
  fc
    .record({
      model: fc.constant('main'),
      messages: fc.array(fc.record({ role: fc.oneof(fc.constant(''), fc.integer()), content: jsonValue }), {
        maxLength: 3,
      }),
    })
    .map((v) => JSON.stringify(v)),
  fc
    .string({ minLength: 1, maxLength: 40 })
    .map((name) => JSON.stringify({ model: `no-such-${name}`, messages: [{ role: 'user', content: 'hi' }] })),
  fc
    .integer({ min: 65, max: 3000 })
    .map((depth) =>
      JSON.stringify({ model: 'main', messages: [{ role: 'user', content: 'x' }] }).replace(
        '"x"',
        `${'['.repeat(depth)}"x"${']'.repeat(depth)}`,
      ),
    ),
  fc.constant('x'.repeat(20 * 1024)),
);
const headerValue = fc.stringMatching(/^[\x20-\x7e]{0,60}$/);
const request = fc.record({
  path: fc.oneof(
    fc.constantFrom(
      '/v1/chat/completions',
      '/v1/models',
      '/v1/nope',
      '/v1',
      '/status',
      '/metrics',
      '/report',
    ),
    fc.webPath().map((p) => (p.startsWith('/') ? p : `/${p}`)),
  ),
  method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH'),
  query: fc.webQueryParameters(),
  body: hostileBody,
  authorization: fc.oneof(
    fc.constant(`Bearer ${KEY}`),
    fc.constant(`bearer ${KEY}`),
    headerValue,
    fc.constant(undefined),
  ),
  extra: fc.record({
    'content-type': fc.oneof(fc.constant('application/json'), headerValue),
    'x-request-id': headerValue,
    'x-switchboard-route': fc.oneof(fc.constant('no-such-route'), headerValue),
    'x-switchboard-debug': fc.constantFrom('0', '1', 'yes'),
  }),
});

type Sample = typeof request extends fc.Arbitrary<infer T> ? T : never;

/** A GET of /v1/models, /status or /metrics with the right key is a fine request: not what we fuzz. */
const legitimate = (r: Sample) =>
  r.method === 'GET' &&
  ['/v1/models', '/status', '/metrics', '/report'].includes(r.path) &&
  (r.authorization === `Bearer ${KEY}` || r.authorization === `bearer ${KEY}`);

async function send(face: 'gateway' | 'fetch', r: Sample): Promise<Response> {
  const headers: Record<string, string> = { ...r.extra };
  if (r.authorization !== undefined) headers.authorization = r.authorization;
  const init: RequestInit = { method: r.method, headers };
  if (r.method !== 'GET') init.body = r.body;
  const path = `${r.path}${r.query ? `?${r.query}` : ''}`;
  return face === 'gateway'
    ? fetch(`${gateway.url}${path}`, init)
    : gateway.switchboard.fetch(`http://switchboard.local${path}`, init);
}

describe('fuzz: hostile requests to both faces', () => {
  it.each(['gateway', 'fetch'] as const)(
    '%s: a 4xx in the OpenAI error shape, and nothing moves',
    async (face) => {
      const before = state();
      await fc.assert(
        fc.asyncProperty(request, async (r) => {
          fc.pre(!legitimate(r));
          const response = await send(face, r);
          expect(response.status).toBeGreaterThanOrEqual(400);
          expect(response.status).toBeLessThan(500);
          const body = (await response.json()) as { error?: { message?: unknown; type?: unknown } };
          expect(typeof body.error?.message).toBe('string');
          expect(typeof body.error?.type).toBe('string');
          expect(state()).toBe(before);
        }),
        { numRuns: RUNS, seed: 20261201 },
      );
      const healthy = await send(face, {
        path: '/v1/chat/completions',
        method: 'POST',
        query: '',
        body: JSON.stringify({ model: 'main', messages: [{ role: 'user', content: 'Hello' }] }),
        authorization: `Bearer ${KEY}`,
        extra: {
          'content-type': 'application/json',
          'x-request-id': 'after-the-fuzz',
          'x-switchboard-route': 'main',
          'x-switchboard-debug': '0',
        },
      });
      expect(healthy.status).toBe(200);
    },
    60_000,
  );
});
