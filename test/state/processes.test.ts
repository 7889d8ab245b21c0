import { mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runCli, spawnCli } from '../support/cli.js';
import { configFor, startMocks } from '../support/engine.js';
import { freePort, RedisServer, redisRequired, redisServerInstalled } from '../support/redis-server.js';

let cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

/** One HTTP exchange on a connection of its own, so node:cluster hands it to the next worker. */
function exchange(url: string, method = 'GET', body?: unknown): Promise<{ status: number; json: unknown }> {
  return new Promise((resolvePromise, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = request(
      url,
      { method, agent: false, headers: payload ? { 'content-type': 'application/json' } : {} },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => {
          text += chunk;
        });
        res.on('end', () =>
          resolvePromise({ status: res.statusCode ?? 0, json: text ? JSON.parse(text) : null }),
        );
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

const chat = (base: string) =>
  exchange(`${base}/v1/chat/completions`, 'POST', {
    model: 'main',
    messages: [{ role: 'user', content: 'Hi' }],
  });

interface Status {
  state: { instance: string; store: string; connected: boolean };
  models: Record<string, { breaker: { state: string } }>;
}
const status = async (base: string) => (await exchange(`${base}/status`)).json as Status;

/** Starts `switchboard serve` with the config and args; resolves once it answers /healthz. */
async function serve(config: object, args: string[]) {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-state-'));
  const path = join(dir, 'switchboard.yaml');
  writeFileSync(path, JSON.stringify(config)); // JSON is YAML
  const port = await freePort();
  const { child, exited, output } = spawnCli(['serve', '--config', path, '--port', String(port), ...args]);
  const base = `http://127.0.0.1:${port}`;
  await expect
    .poll(async () => (await exchange(`${base}/healthz`).catch(() => ({ status: 0 }))).status, {
      timeout: 15_000,
      interval: 100,
    })
    .toBe(200);
  return { base, child, exited, output };
}

/** Polls /status until `n` distinct instances answered with the breaker of `model` in `state`. */
async function seenBy(base: string, n: number, model: string, state: string) {
  const seen = new Map<string, string>();
  await expect
    .poll(
      async () => {
        const s = await status(base);
        seen.set(s.state.instance, s.models[model]?.breaker.state ?? '');
        return [...seen.values()].filter((v) => v === state).length;
      },
      { timeout: 10_000, interval: 50 },
    )
    .toBe(n);
}

describe('switchboard serve --workers 2 (shared through the primary)', () => {
  it('answers on one port; a breaker opened via one worker is skipped by the other; SIGTERM exits 0', async () => {
    const { mocks, close } = await startMocks({ a: { fault: '503' }, b: {} });
    cleanup.push(close);
    const config = configFor(mocks, {
      retry: { max_retries: 0 },
      circuit_breaker: { failure_threshold: 1, cooldown_ms: 60_000 },
      ledger: 'off',
    });
    const { base, child, exited } = await serve(config, ['--workers', '2']);
    await seenBy(base, 2, 'a', 'closed');
    const first = await chat(base);
    expect(first.status).toBe(200);
    expect(mocks.a!.stats().requests).toBe(1);
    const states = await status(base);
    expect(states.state.store).toBe('cluster');
    await seenBy(base, 2, 'a', 'open');
    const answers = await Promise.all(Array.from({ length: 8 }, () => chat(base)));
    expect(answers.map((r) => r.status)).toEqual(Array(8).fill(200));
    expect(mocks.a!.stats().requests).toBe(1);
    expect(mocks.b!.stats().requests).toBe(9);

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 40_000);

  it('refuses a bad --workers, and --workers without --config', async () => {
    const run = async (args: string[]) => {
      const { code, stdout, stderr } = await runCli(['serve', ...args]);
      return { code, output: stdout + stderr };
    };
    const zero = await run(['--workers', '0']);
    expect(zero.code).not.toBe(0);
    expect(zero.output).toContain('a whole number ≥ 1, or auto');
    const demo = await run(['--workers', '2']);
    expect(demo).toEqual({ code: 1, output: expect.stringContaining('--workers needs --config') });
  });
});

let redis: RedisServer | undefined;
describe.runIf(redisServerInstalled || redisRequired)('separate serve processes sharing Redis', () => {
  beforeAll(async () => {
    if (!redisServerInstalled)
      throw new Error('redis-server is not installed: .ci/run must install it (CI=true)');
    redis = await RedisServer.start();
  });
  afterAll(async () => {
    await redis?.close();
  });

  it('a breaker opened by one process is skipped by the other, which never calls the model', async () => {
    const { mocks, close } = await startMocks({ a: { fault: '503' }, b: {} });
    cleanup.push(close);
    const config = configFor(mocks, {
      retry: { max_retries: 0 },
      circuit_breaker: { failure_threshold: 1, cooldown_ms: 60_000 },
      state: { store: 'redis', url: redis?.url, prefix: 'sbprocesses' },
      ledger: 'off',
    });
    const [one, two] = await Promise.all([serve(config, []), serve(config, [])]);
    await expect.poll(async () => (await status(two.base)).state.connected).toBe(true);
    expect((await chat(one.base)).status).toBe(200);
    expect(mocks.a!.stats().requests).toBe(1);
    await expect.poll(async () => (await status(two.base)).models.a?.breaker.state).toBe('open');
    const answers = await Promise.all([chat(two.base), chat(two.base), chat(two.base)]);
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(mocks.a!.stats().requests).toBe(1);

    one.child.kill('SIGTERM');
    two.child.kill('SIGTERM');
    expect(await Promise.all([one.exited, two.exited])).toEqual([0, 0]);
  }, 40_000);
});
