import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type Gateway, startGateway } from '../../src/gateway.js';
import type { Report } from '../../src/ledger/index.js';
import type { MockProvider } from '../../src/mock/index.js';
import { configFor, startMocks } from '../support/engine.js';

let cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

const KEY = 'sk-gateway-test';
const auth = { authorization: `Bearer ${KEY}` };

/** 'Hello there' is 11 characters: the simulator counts 3 prompt tokens; each reply has 3 words. */
const body = (model: string, extra: Record<string, unknown> = {}) => ({
  model,
  messages: [{ role: 'user', content: 'Hello there' }],
  ...extra,
});

function tempLedger(): string {
  return join(mkdtempSync(join(tmpdir(), 'switchboard-ledger-')), 'ledger.db');
}

/**
 * Providers a (down: 503), b (healthy) and c (changed per test), t (never answers); prices per 1M
 * tokens a 1/2, b 3/4, c 0.5/1. Route main: a → b; solo: c; slow: t. The breaker opens after 2 failures.
 */
async function setup(ledger: unknown, mocks?: Record<string, MockProvider>) {
  let all = mocks;
  if (all === undefined) {
    const started = await startMocks({ a: { fault: '503' }, b: {}, c: {}, t: { fault: 'timeout' } });
    cleanup.push(started.close);
    all = started.mocks;
  }
  const config = configFor(all, {
    retry: { max_retries: 0, max_retry_after_ms: 1_000 },
    circuit_breaker: {
      failure_threshold: 2,
      window_ms: 60_000,
      cooldown_ms: 60_000,
      max_cooldown_ms: 60_000,
    },
    routes: { main: ['a', 'b'], solo: ['c'], slow: ['t'] },
    server: { api_keys: [KEY] },
    ledger,
  });
  const models = config.models as Record<string, { price: unknown }>;
  models.b!.price = { input: 3, output: 4 };
  models.c!.price = { input: 0.5, output: 1 };
  const gateway = await startGateway(config, { logger: false, port: 0 });
  let closed = false;
  const close = async () => {
    if (!closed) await gateway.close(1_000);
    closed = true;
  };
  cleanup.push(close);
  const post = (payload: unknown, headers: Record<string, string> = {}, signal?: AbortSignal) =>
    fetch(`${gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...auth, ...headers },
      body: JSON.stringify(payload),
      signal,
    });
  return { gateway, mocks: all, post, close };
}

async function report(gateway: Gateway, query = ''): Promise<Report> {
  const response = await fetch(`${gateway.url}/report${query}`, { headers: auth });
  expect(response.status).toBe(200);
  return (await response.json()) as Report;
}

/** Abandons a request to the never-answering `slow` route, and waits until the ledger has it. */
async function cancelOne(
  gateway: Gateway,
  post: Awaited<ReturnType<typeof setup>>['post'],
  mock: MockProvider,
) {
  const controller = new AbortController();
  const before = mock.stats().requests;
  const pending = post(body('slow'), { 'x-request-id': 'walked-away' }, controller.signal).catch(
    () => 'aborted',
  );
  await expect.poll(() => mock.stats().requests).toBe(before + 1);
  controller.abort();
  expect(await pending).toBe('aborted');
  const ledger = gateway.switchboard.ledger!;
  const everything = { sinceMs: 0, untilMs: Number.MAX_SAFE_INTEGER };
  await expect
    .poll(
      async () =>
        (await ledger.query(everything)).requests.find((r) => r.requestId === 'walked-away')?.outcome,
    )
    .toBe('cancelled');
}

describe('the ledger behind the gateway, and its report', () => {
  it('reports exactly what happened: caught failures, errors by kind, breaker trips, cooldowns, tokens and costs', async () => {
    const { gateway, mocks, post } = await setup({ path: tempLedger() });
    for (const id of ['first', 'second', 'third']) {
      const response = await post(body('main'), { 'x-request-id': id });
      expect(response.status).toBe(200);
      expect(response.headers.get('x-switchboard-model')).toBe('b');
    }
    const stream = await post(body('main', { stream: true }), { 'x-request-id': 'streamed' });
    expect(await stream.text()).toContain('[DONE]');
    mocks.c!.setFault('400');
    expect((await post(body('solo'))).status).toBe(400);
    mocks.c!.setFault('503');
    expect((await post(body('solo'))).status).toBe(503);
    mocks.c!.setFault('429:30');
    expect((await post(body('solo'))).status).toBe(503);
    await cancelOne(gateway, post, mocks.t!);

    const summary = await report(gateway, '?since=1h&baseline=gold=10/30');
    // Every answer came from b: 3 prompt + 3 completion tokens at 3/4 USD per 1M = 0.000021 each.
    expect(summary).toMatchObject({
      requests: 8,
      answered: 4,
      rescued: 2,
      upstream_failures_caught: 2,
      errors: { total: 3, by_kind: { all_models_failed: 2, upstream_client_error: 1 } },
      cancelled: 1,
      success_rate: 4 / 7,
      breaker_trips: { total: 1, by_model: { a: 1 } },
      rate_limit_cooldowns: { total: 1, by_model: { c: 1 } },
      tokens: { prompt: 12, completion: 12 },
      cost_usd: {
        total: 0.000084,
        answers: 0.000084,
        wasted: 0,
        by_model: { b: 0.000084 },
        by_provider: { 'p-b': 0.000084 },
      },
      providers: { 'p-b': { answers: 4, share: 1, cost_usd: 0.000084 } },
      // 12 × 10 + 12 × 30 = 480 µUSD on the baseline; 84 spent: 396 saved, 82.5 %.
      baseline: {
        model: 'gold',
        price: { input: 10, output: 30 },
        cost_usd: 0.00048,
        actual_cost_usd: 0.000084,
        saving_usd: 0.000396,
        saving_percent: 82.5,
      },
    });
    expect(summary.models.b).toMatchObject({
      provider: 'p-b',
      answers: 4,
      share: 1,
      attempts: 4,
      failed_attempts: 0,
      prompt_tokens: 12,
      completion_tokens: 12,
      cost_usd: 0.000084,
    });
    expect(summary.models.a).toMatchObject({ answers: 0, attempts: 2, failed_attempts: 2, breaker_trips: 1 });
    expect(summary.models.c).toMatchObject({
      answers: 0,
      attempts: 3,
      failed_attempts: 3,
      rate_limit_cooldowns: 1,
    });
    expect(summary.models.t).toMatchObject({ attempts: 1, failed_attempts: 0 });
    expect(summary.time_to_first_token_ms).not.toBeNull();
    expect(summary.models.b?.time_to_first_token_ms?.p50).toBe(summary.time_to_first_token_ms?.p50);

    // A configured model as the baseline: a at 1/2 per 1M would have cost 12 + 24 = 36 µUSD.
    expect((await report(gateway, '?baseline=a')).baseline).toMatchObject({
      cost_usd: 0.000036,
      saving_usd: -0.000048,
      saving_percent: -133.33,
    });
    expect((await report(gateway, '?route=solo')).errors.total).toBe(3);

    const rows = await gateway.switchboard.ledger!.query({ sinceMs: 0, untilMs: Number.MAX_SAFE_INTEGER });
    expect(rows.requests.filter((r) => r.breakerChanged).map((r) => r.requestId)).toEqual(['second']);
    expect(rows.requests.find((r) => r.requestId === 'first')?.attempts).toMatchObject([
      { model: 'a', provider: 'p-a', outcome: 'error', errorKind: 'transient', status: 503 },
      { model: 'b', provider: 'p-b', outcome: 'success' },
    ]);
  });

  it('serves /report behind auth, as JSON, markdown or a table, and refuses bad options clearly', async () => {
    const { gateway, post } = await setup({ path: tempLedger() });
    await post(body('main'));
    expect((await fetch(`${gateway.url}/report`)).status).toBe(401);
    const markdown = await fetch(`${gateway.url}/report?format=markdown`, { headers: auth });
    expect(markdown.headers.get('content-type')).toBe('text/markdown; charset=utf-8');
    expect(await markdown.text()).toMatch(/^## Switchboard report: /);
    const table = await fetch(`${gateway.url}/report?format=table&route=main`, { headers: auth });
    expect(await table.text()).toMatch(/^Requests +1$/m);
    for (const [query, message] of [
      ['?since=yesterday', 'cannot read since "yesterday"'],
      ['?baseline=gpt-9', 'baseline "gpt-9" is not a configured model with a price'],
      ['?format=csv', 'format must be one of table, markdown, json'],
    ]) {
      const response = await fetch(`${gateway.url}/report${query}`, { headers: auth });
      expect(response.status).toBe(400);
      const { error } = (await response.json()) as { error: { code: string; message: string } };
      expect(error.code).toBe('invalid_report_option');
      expect(error.message).toContain(message);
    }
  });

  it('the ledger survives a restart of the gateway', async () => {
    const path = tempLedger();
    const first = await setup({ path });
    await first.post(body('main'));
    await first.post(body('main'));
    await first.close();
    const second = await setup({ path }, first.mocks);
    expect((await report(second.gateway)).requests).toBe(2);
    await second.post(body('main'));
    // Breakers are not persisted: the new process tries a again.
    expect(await report(second.gateway)).toMatchObject({ requests: 3, upstream_failures_caught: 3 });
  });

  it('an unwritable ledger never fails a request: records are dropped and counted', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'switchboard-ledger-'));
    writeFileSync(join(dir, 'a-file'), 'not a directory');
    const { gateway, post } = await setup({ path: join(dir, 'a-file', 'ledger.db') });
    for (let i = 0; i < 3; i++) expect((await post(body('main'))).status).toBe(200);
    await gateway.switchboard.ledger!.flush();
    const metrics = await (await fetch(`${gateway.url}/metrics`, { headers: auth })).text();
    // 3 requests and the breaker of a opening.
    expect(metrics).toMatch(/^switchboard_ledger_dropped_records_total 4$/m);
    const response = await fetch(`${gateway.url}/report`, { headers: auth });
    expect(response.status).toBe(503);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('ledger_unavailable');
  });

  it('ledger: off records nothing, and /report says the ledger is off', async () => {
    const { gateway, post } = await setup('off');
    await post(body('main'));
    expect(gateway.switchboard.ledger).toBeUndefined();
    const response = await fetch(`${gateway.url}/report`, { headers: auth });
    expect(response.status).toBe(404);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('ledger_off');
    const metrics = await (await fetch(`${gateway.url}/metrics`, { headers: auth })).text();
    expect(metrics).not.toContain('ledger_dropped');
  });

  it('without a ledger key, a gateway started from code records nothing (only the CLI defaults to a file)', async () => {
    const { gateway } = await setup(undefined);
    expect(gateway.switchboard.ledger).toBeUndefined();
  });
});
