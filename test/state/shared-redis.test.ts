import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Gateway, startGateway } from '../../src/gateway.js';
import { configFor, startMocks } from '../support/engine.js';
import { RedisServer, redisRequired, redisServerInstalled } from '../support/redis-server.js';

let redis: RedisServer | undefined;
let cleanup: Array<() => Promise<unknown>> = [];
let prefixes = 0;

beforeAll(async () => {
  if (!redisServerInstalled) {
    if (redisRequired) throw new Error('redis-server is not installed: .ci/run must install it (CI=true)');
    return;
  }
  redis = await RedisServer.start();
});
afterAll(async () => {
  await redis?.close();
});
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

/** Gateways sharing one Redis (a fresh key prefix per test) and the same simulated providers. */
async function instances(faults: Record<string, string>, overrides: Record<string, unknown> = {}, n = 2) {
  const specs = Object.fromEntries(Object.entries(faults).map(([name, fault]) => [name, { fault }]));
  const { mocks, close } = await startMocks(specs);
  cleanup.push(close);
  const config = configFor(mocks, {
    retry: { max_retries: 0 },
    state: { store: 'redis', url: redis?.url, prefix: `sbtest${++prefixes}` },
    ...overrides,
  });
  const gateways: Gateway[] = [];
  for (let i = 0; i < n; i++) {
    const gateway = await startGateway(config, { logger: false, port: 0 });
    cleanup.push(() => gateway.close(1_000));
    gateways.push(gateway);
  }
  await expect.poll(() => gateways.every((g) => g.switchboard.sharedState.status().connected)).toBe(true);
  return { gateways, mocks, config, count: (name: string) => mocks[name]!.stats().requests };
}

async function ask(gateway: Gateway) {
  const response = await fetch(`${gateway.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'main', messages: [{ role: 'user', content: 'Hi' }] }),
  });
  const body = (await response.json()) as { choices?: Array<{ message: { content: string } }> };
  return {
    status: response.status,
    model: response.headers.get('x-switchboard-model'),
    probe: false,
    text: body.choices?.[0]?.message.content,
  };
}

const breaker = (g: Gateway, model = 'a') => g.switchboard.health.breaker(model);

describe.runIf(redisServerInstalled || redisRequired)('shared state in Redis', () => {
  it('a breaker opened by A is skipped by B without a request to the model', async () => {
    const { gateways, count } = await instances(
      { a: '503', b: 'ok' },
      { circuit_breaker: { failure_threshold: 2, cooldown_ms: 60_000 } },
      3,
    );
    const [a, b, c] = gateways as [Gateway, Gateway, Gateway];
    await ask(a);
    await ask(a);
    expect(breaker(a).state).toBe('open');
    await expect.poll(() => breaker(b).state).toBe('open');
    await expect.poll(() => breaker(c).state).toBe('open');
    expect(breaker(b).readyAtMs()).toBe(breaker(a).readyAtMs());
    const answers = await Promise.all([ask(b), ask(b), ask(c), ask(c)]);
    expect(answers.map((r) => `${r.status} ${r.model}`)).toEqual(Array(4).fill('200 b'));
    expect(count('a')).toBe(2);
  });

  it("the dashboard's cluster view on B shows the breaker A opened, by A, and which instance served it", async () => {
    const { gateways } = await instances(
      { a: '503', b: 'ok' },
      { circuit_breaker: { failure_threshold: 2, cooldown_ms: 60_000 } },
    );
    const [a, b] = gateways as [Gateway, Gateway];
    await ask(a);
    await ask(a);
    const idOf = (g: Gateway) => g.switchboard.sharedState.status().instanceId;
    type Data = { cluster: { instance: string; instances: string[]; breakers: Record<string, unknown> } };
    const data = async () => (await (await fetch(`${b.url}/dashboard/data`)).json()) as Data;
    await expect
      .poll(async () => (await data()).cluster.breakers.a)
      .toMatchObject({ state: 'open', by: idOf(a) });
    const view = (await data()).cluster;
    expect(view.instance).toBe(idOf(b));
    expect(view.instances).toEqual([idOf(a), idOf(b)].sort());
  });

  it('failures counted on different instances add up to the threshold', async () => {
    const { gateways, count } = await instances(
      { a: '503', b: 'ok' },
      { circuit_breaker: { failure_threshold: 3, cooldown_ms: 60_000 } },
    );
    const [a, b] = gateways as [Gateway, Gateway];
    await ask(a);
    await ask(a);
    expect(breaker(a).state).toBe('closed');
    await expect.poll(() => breaker(b).snapshot().failuresInWindow, { timeout: 3_000 }).toBe(2);
    await ask(b);
    expect(breaker(b).state).toBe('open');
    await expect.poll(() => breaker(a).state).toBe('open');
    await ask(a);
    expect(count('a')).toBe(3);
  });

  it('exactly one probe across instances when the breaker half-opens', async () => {
    const { gateways, mocks, count } = await instances(
      { a: '503', b: 'ok' },
      { circuit_breaker: { failure_threshold: 1, cooldown_ms: 500 } },
    );
    const [a, b] = gateways as [Gateway, Gateway];
    await ask(a);
    await expect.poll(() => breaker(b).state).toBe('open');
    mocks.a!.setFault('slow-first-token:1000');
    await expect.poll(() => breaker(a).state, { timeout: 3_000 }).toBe('half_open');
    await expect.poll(() => breaker(b).state).toBe('half_open');
    const probes = () => count('a') - 1;
    // Four waves asking both instances, all sent while the probe (1 s to its first token) is in flight:
    // one instance claims the probe and sends it, in whichever wave reaches it first; every other
    // request, on either instance, is turned away from the model while the probe runs.
    const waves = await Promise.all(
      [0, 1, 2, 3].map(async (i) => {
        await new Promise((r) => setTimeout(r, i * 50));
        return Promise.all([ask(a), ask(b), ask(a), ask(b)]);
      }),
    );
    const answered = waves.flat();
    expect(answered.every((r) => r.status === 200)).toBe(true);
    expect(answered.filter((r) => r.model === 'a')).toHaveLength(1);
    expect(probes()).toBe(1);
    await expect.poll(() => [breaker(a).state, breaker(b).state]).toEqual(['closed', 'closed']);
  });

  it('a 429 with Retry-After seen by A makes B skip the model until the deadline', async () => {
    const { gateways, mocks, count } = await instances({ a: '429:2', b: 'ok' });
    const [a, b] = gateways as [Gateway, Gateway];
    expect((await ask(a)).model).toBe('b');
    const until = a.switchboard.health.cooldownUntil('a');
    expect(until).toBeGreaterThan(Date.now());
    await expect.poll(() => b.switchboard.health.cooldownUntil('a')).toBe(until);
    mocks.a!.setFault('ok');
    expect((await ask(b)).model).toBe('b');
    expect(count('a')).toBe(1);
    await expect.poll(async () => (await ask(b)).model, { timeout: 4_000, interval: 200 }).toBe('a');
    expect(Date.now()).toBeGreaterThanOrEqual(until as number);
  });

  it('two cooldowns recorded at once: the later deadline wins everywhere', async () => {
    const { gateways } = await instances({ a: 'ok', b: 'ok' });
    const [a, b] = gateways as [Gateway, Gateway];
    const now = Date.now();
    a.switchboard.health.coolDown('a', now + 30_000);
    b.switchboard.health.coolDown('a', now + 20_000);
    await expect.poll(() => b.switchboard.health.cooldownUntil('a')).toBe(now + 30_000);
    expect(a.switchboard.health.cooldownUntil('a')).toBe(now + 30_000);
  });

  it('the retry budget is shared: retries spent on A leave none for B', async () => {
    const { gateways, count } = await instances(
      { a: '503', b: 'ok' },
      { retry: { max_retries: 3 }, retry_budget: { ratio: 0, min_retries: 2, window_ms: 10_000 } },
    );
    const [a, b] = gateways as [Gateway, Gateway];
    await ask(a);
    expect(count('a')).toBe(3);
    await expect.poll(() => b.switchboard.retryBudget.snapshot().retries, { timeout: 3_000 }).toBe(2);
    expect((await ask(b)).model).toBe('b');
    expect(count('a')).toBe(4);
  });

  it('a new instance starts with what the others know', async () => {
    const { gateways, config } = await instances(
      { a: '503', b: 'ok' },
      { circuit_breaker: { failure_threshold: 1, cooldown_ms: 60_000 } },
      1,
    );
    await ask(gateways[0] as Gateway);
    const late = await startGateway(config, { logger: false, port: 0 });
    cleanup.push(() => late.close(1_000));
    expect(breaker(late).state).toBe('open');
  });

  it('a slow Redis never slows a request: the instance degrades, then recovers by itself', async () => {
    const { gateways } = await instances({ a: 'ok' });
    const [a] = gateways as [Gateway];
    await ask(a);
    expect(await (redis as RedisServer).command('CLIENT', 'PAUSE', '1500', 'ALL')).toBe('+OK');
    const started = performance.now();
    const answers = await Promise.all([ask(a), ask(a), ask(a)]);
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(performance.now() - started).toBeLessThan(400);
    await expect.poll(() => a.switchboard.sharedState.status().connected).toBe(false);
    await expect.poll(() => a.switchboard.sharedState.status().connected, { timeout: 5_000 }).toBe(true);
  });

  it('a Redis outage loses no request; the instances resynchronise when it returns', async () => {
    const { gateways, mocks, count } = await instances(
      { a: '503', b: 'ok', c: 'ok', d: 'ok' },
      { circuit_breaker: { failure_threshold: 1, cooldown_ms: 60_000 } },
    );
    const [a, b] = gateways as [Gateway, Gateway];
    const server = redis as RedisServer;
    const answers: Array<{ status: number; model: string | null }> = [];
    const traffic = (async () => {
      for (let i = 0; i < 40; i++) {
        answers.push(...(await Promise.all([ask(a), ask(b)])));
        await new Promise((r) => setTimeout(r, 10));
      }
    })();
    await new Promise((r) => setTimeout(r, 100));
    await server.kill();
    await traffic;
    expect(answers).toHaveLength(80);
    expect(answers.every((r) => r.status === 200 && r.model === 'b')).toBe(true);

    const status = async (g: Gateway) =>
      ((await (await fetch(`${g.url}/status`)).json()) as { state: Record<string, unknown> }).state;
    const metrics = async (g: Gateway) => (await fetch(`${g.url}/metrics`)).text();
    await expect.poll(() => status(a)).toMatchObject({ store: 'redis', connected: false });
    expect((await status(a)).degraded_since).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(await metrics(a)).toContain('switchboard_state_store_up{store="redis"} 0');

    // Degraded, each instance decides alone: a failure of b on A opens A's breaker only.
    mocks.b!.setFault('503');
    expect((await ask(a)).model).toBe('c');
    expect([breaker(a, 'b').state, breaker(b, 'b').state]).toEqual(['open', 'closed']);
    mocks.b!.setFault('ok');

    await server.resume();
    await expect
      .poll(() => [a, b].map((g) => g.switchboard.sharedState.status().connected), { timeout: 8_000 })
      .toEqual([true, true]);
    // The change made while Redis was away reaches B on resynchronisation.
    await expect.poll(() => breaker(b, 'b').state).toBe('open');
    expect(await status(b)).toMatchObject({ connected: true, degraded_since: null });
    expect(await metrics(b)).toContain('switchboard_state_store_up{store="redis"} 1');

    // And sharing works again: a new breaker opening on A is seen by B, which skips the model.
    mocks.c!.setFault('503');
    expect((await ask(a)).model).toBe('d');
    await expect.poll(() => breaker(b, 'c').state).toBe('open');
    const before = [count('a'), count('b'), count('c')];
    expect((await ask(b)).model).toBe('d');
    expect([count('a'), count('b'), count('c')]).toEqual(before);
  });
});
