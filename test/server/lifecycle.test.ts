import { describe, expect, it } from 'vitest';
import { startGateway } from '../../src/gateway.js';
import { configFor, onCleanup, startMocks } from '../support/engine.js';
import { parsePrometheus, sampleValue } from '../support/prometheus.js';
import { parseSseData } from '../support/sse.js';

async function setup(specs: Parameters<typeof startMocks>[0], overrides: Record<string, unknown> = {}) {
  const { mocks, close } = await startMocks(specs);
  onCleanup(close);
  const gateway = await startGateway(configFor(mocks, { retry: { max_retries: 0 }, ...overrides }), {
    logger: false,
    port: 0,
  });
  onCleanup(() => gateway.close(1_000));
  return { gateway, mocks, url: gateway.url };
}

const hi = (extra: Record<string, unknown> = {}) => ({
  model: 'main',
  messages: [{ role: 'user', content: 'Hi' }],
  ...extra,
});
const post = (url: string, body: unknown, init: RequestInit = {}) =>
  fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    ...init,
    headers: { 'content-type': 'application/json', ...(init.headers as Record<string, string>) },
    body: JSON.stringify(body),
  });

describe('gateway: streams over HTTP', () => {
  it('frames SSE with data: lines and [DONE]; debug adds the attempt list in a last chunk', async () => {
    const { url } = await setup({ a: { fault: '503' }, b: {} });
    const response = await post(url, hi({ stream: true }), { headers: { 'x-switchboard-debug': '1' } });
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    expect(response.headers.get('x-switchboard-model')).toBe('b');
    const frames = parseSseData(await response.text());
    expect(frames.at(-1)).toBe('[DONE]');
    const debug = JSON.parse(frames.at(-2) as string);
    expect(
      debug.switchboard.attempts.map((a: { model: string; outcome: string }) => `${a.model}:${a.outcome}`),
    ).toEqual(['a:error', 'b:success']);
  });

  it('a stream that breaks after content ends with an error event and no [DONE]', async () => {
    const { url } = await setup(
      { a: { fault: 'stream-cut:2' }, b: {} },
      { routes: { main: { models: ['a', 'b'], stream_recovery: 'error' } } },
    );
    const response = await post(url, hi({ stream: true }));
    const frames = parseSseData(await response.text());
    expect(frames).not.toContain('[DONE]');
    expect(JSON.parse(frames.at(-1) as string)).toMatchObject({ error: { code: 'stream_interrupted' } });
  });

  it('debug on a JSON answer adds a switchboard field', async () => {
    const { url } = await setup({ a: {} });
    const body = (await (
      await post(url, hi(), { headers: { 'x-switchboard-debug': '1' } })
    ).json()) as Record<string, unknown>;
    expect(body.switchboard).toMatchObject({ model: 'a', attempts: [{ model: 'a', outcome: 'success' }] });
  });
});

describe('gateway: the client goes away', () => {
  it('a disconnect aborts the upstream request (the provider sees the connection closed)', async () => {
    const { url, mocks } = await setup({ a: { fault: 'timeout' } });
    const controller = new AbortController();
    const pending = post(url, hi(), { signal: controller.signal }).catch((e) => e);
    await expect.poll(() => mocks.a!.stats().requests).toBe(1);
    controller.abort();
    await pending;
    await expect.poll(() => mocks.a!.stats().aborted).toBe(1);
  });
});

describe('gateway: every model cooling down', () => {
  it('answers 503 all_models_failed with a Retry-After of the soonest recovery', async () => {
    const { url } = await setup({ a: { fault: '429:30' }, b: { fault: '429:60' } });
    expect((await post(url, hi())).status).toBe(503);
    const response = await post(url, hi());
    expect(response.status).toBe(503);
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(29);
    expect(Number(response.headers.get('retry-after'))).toBeLessThanOrEqual(30);
  });
});

describe('gateway: /metrics', () => {
  it('parses as Prometheus text and its counters move as requests are made', async () => {
    const { url } = await setup({ a: { fault: '503' }, b: {} });
    const scrape = async () => parsePrometheus(await (await fetch(`${url}/metrics`)).text());
    const labels = { route: 'main', model: 'b', provider: 'p-b', outcome: 'success' };
    const before = await scrape();
    expect(sampleValue(before, 'switchboard_requests_total', labels) ?? 0).toBe(0);
    await post(url, hi());
    await post(url, hi());
    const after = await scrape();
    expect(sampleValue(after, 'switchboard_requests_total', labels)).toBe(2);
    const fallbacks = after
      .filter((s) => s.name === 'switchboard_fallbacks_total')
      .map((s) => [s.labels, s.value]);
    expect(fallbacks).toEqual([[{ from: 'a', to: 'b', same_provider: 'false' }, 2]]);
    expect(sampleValue(after, 'switchboard_in_flight_requests')).toBe(0);
    expect(after.some((s) => s.name === 'switchboard_gateway_overhead_seconds_count')).toBe(true);
  });
});

describe('gateway: graceful shutdown', () => {
  it('stops accepting but lets an in-flight stream finish', async () => {
    const { gateway, url } = await setup({ a: { tokensPerSec: 20 } });
    const response = await post(url, hi({ stream: true }));
    expect(response.status).toBe(200);
    const closed = gateway.close(5_000);
    const text = await response.text();
    await closed;
    const frames = parseSseData(text);
    expect(frames.at(-1)).toBe('[DONE]');
    expect(
      frames.map((f) => (f === '[DONE]' ? '' : (JSON.parse(f).choices[0]?.delta?.content ?? ''))).join(''),
    ).toBe('Answer from a.');
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
  });
});
