import { type AddressInfo, connect } from 'node:net';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { systemClock } from '../../src/common/clock.js';
import { type GatewayOptions, startGateway } from '../../src/gateway.js';
import { EventBus } from '../../src/routing/events.js';
import { freshMetadata } from '../../src/routing/metadata.js';
import { EventHub } from '../../src/server/dashboard/event-stream.js';
import { createFrontDoor } from '../../src/server/front-door.js';
import { createNodeServer } from '../../src/server/node/node-server.js';
import { configFor, hello, onCleanup, startMocks } from '../support/engine.js';
import { subscribe, until } from './sse-client.js';

const KEY = 'events-test-key-123';

async function setup(faults: Record<string, string>, events: GatewayOptions['events'] = {}) {
  const specs = Object.fromEntries(Object.entries(faults).map(([name, fault]) => [name, { fault }]));
  const { mocks, close } = await startMocks(specs);
  onCleanup(close);
  const config = configFor(mocks, {
    routes: { main: Object.keys(mocks), other: [Object.keys(mocks).at(-1)] },
    retry: { max_retries: 0 },
    server: { api_keys: [KEY] },
  });
  const gateway = await startGateway(config, { logger: false, port: 0, events });
  onCleanup(() => gateway.close(1_000));
  const chat = (model = 'main', extra: Record<string, unknown> = {}) =>
    fetch(`${gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}` },
      body: JSON.stringify(hello(model, extra)),
    }).then((r) => r.text());
  const metric = async (name: string) => {
    const text = await (
      await fetch(`${gateway.url}/metrics`, { headers: { authorization: `Bearer ${KEY}` } })
    ).text();
    const line = text.split('\n').find((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`));
    return line === undefined ? undefined : Number(line.split(' ').at(-1));
  };
  const sub = async (query = '') => {
    const s = await subscribe(`${gateway.url}/events${query}`, KEY);
    onCleanup(() => s.close());
    return s;
  };
  return { gateway, mocks, chat, metric, sub };
}

/** The hub behind the real front door and Node face, as the gateway serves it; its port. */
async function serveHub(hub: EventHub): Promise<number> {
  const { server } = createNodeServer(
    createFrontDoor(
      [
        {
          method: 'GET',
          path: '/events',
          handle: (request) => {
            const s = hub.subscribe(new URLSearchParams(request.query));
            return { kind: 'sse', status: 200, frames: s.frames, cancel: s.end, shutdown: s.end };
          },
        },
      ],
      { apiKeys: [] },
    ),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onCleanup(() => new Promise((resolve) => server.close(resolve)));
  onCleanup(() => hub.close());
  return (server.address() as AddressInfo).port;
}

describe('GET /events over HTTP', () => {
  it('is behind the key, and a bad filter is a 400 naming the parameter', async () => {
    const { gateway } = await setup({ a: 'ok' });
    const anonymous = await fetch(`${gateway.url}/events`);
    expect(anonymous.status).toBe(401);
    const bad = await fetch(`${gateway.url}/events?type=nope`, {
      headers: { authorization: `Bearer ${KEY}` },
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { param: 'type', code: 'invalid_event_filter' } });
    const route = await fetch(`${gateway.url}/events?route=zzz`, {
      headers: { authorization: `Bearer ${KEY}` },
    });
    expect(((await route.json()) as { error: { message: string } }).error.message).toMatch(
      /route "zzz" is not configured; routes: main, other/,
    );
  });

  it('filters by type (exact and prefix) and by route, and redacts', async () => {
    const { mocks, chat, sub } = await setup({ a: '503', b: 'ok' });
    const fallbacks = await sub('?type=fallback,request.succeeded');
    const attempts = await sub('?type=attempt.');
    const other = await sub('?route=other&type=request.');
    const everything = await sub();
    expect(fallbacks.status).toBe(200);
    await chat('main');
    await chat('other');
    await fallbacks.waitFor((e) => e.filter((x) => x.type === 'request.succeeded').length === 2);
    expect(fallbacks.events.map((e) => e.type)).toEqual([
      'fallback',
      'request.succeeded',
      'request.succeeded',
    ]);
    expect(fallbacks.events[0]).toMatchObject({ type: 'fallback', from: 'a', to: 'b', route: 'main' });
    await attempts.waitFor((e) => e.filter((x) => x.type === 'attempt.succeeded').length === 2);
    expect(new Set(attempts.events.map((e) => e.type))).toEqual(
      new Set(['attempt.started', 'attempt.failed', 'attempt.succeeded']),
    );
    expect(attempts.events.find((e) => e.type === 'attempt.failed')).toMatchObject({
      model: 'a',
      status: 503,
    });
    await other.waitFor((e) => e.some((x) => x.type === 'request.succeeded'));
    expect(other.events.every((e) => e.route === 'other')).toBe(true);
    expect(other.events.map((e) => e.type)).toEqual(['request.started', 'request.succeeded']);
    // Nothing of the prompt, the keys, the upstream URLs or the provider's error body.
    await everything.waitFor((e) => e.filter((x) => x.type === 'request.succeeded').length === 2);
    const text = everything.text();
    for (const secret of ['Hello there', KEY, mocks.a!.url, mocks.b!.url, 'Answer from', '"message"'])
      expect(text).not.toContain(secret);
  });

  it('sends heartbeats, caps subscribers, and ends the streams when the gateway closes', async () => {
    const { gateway, sub, metric } = await setup({ a: 'ok' }, { heartbeatMs: 50, maxSubscribers: 2 });
    const first = await sub();
    await sub();
    const third = await fetch(`${gateway.url}/events`, { headers: { authorization: `Bearer ${KEY}` } });
    expect(third.status).toBe(503);
    expect(await third.json()).toMatchObject({ error: { code: 'too_many_subscribers' } });
    expect(await metric('switchboard_events_subscribers')).toBe(2);
    await first.waitFor(() => first.text().includes(': ping\n\n'));
    await gateway.close(5_000);
    await first.ended;
  });

  it('drops a reader that does not read, counts it, and keeps serving the others', async () => {
    // The engine's bus driven by the test, so a burst of events is quick; the sockets and clients are real.
    const bus = new EventBus();
    const registry = new Registry();
    const chain = Array.from({ length: 40 }, (_, i) => `model-with-a-long-name-${i}`);
    const hub = new EventHub(
      { bus, clock: systemClock, secrets: [], routes: { main: chain }, registry },
      { maxBufferedBytes: 64 * 1024 },
    );
    const port = await serveHub(hub);
    const reader = await subscribe(`http://127.0.0.1:${port}/events`);
    onCleanup(() => reader.close());
    // A subscriber that never reads: a raw socket, paused after sending its request.
    const slow = connect({ host: '127.0.0.1', port });
    onCleanup(() => slow.destroy());
    await new Promise<void>((resolve) => slow.once('connect', resolve));
    slow.write('GET /events HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n');
    slow.pause();
    const dropped = async () =>
      (await registry.getSingleMetric('switchboard_events_dropped_total')?.get())?.values[0]?.value;
    await until(() => hub.subscriberCount === 2, 5_000, 'both subscribers connected');
    let sent = 0;
    const deadline = Date.now() + 15_000;
    while ((await dropped()) === 0) {
      if (Date.now() > deadline) throw new Error(`the slow reader was not dropped after ${sent} events`);
      // Small bursts: the subscriber that reads (in this process) keeps up between them.
      for (let i = 0; i < 20; i++, sent++)
        bus.emit({ type: 'request.started', requestId: `r${sent}`, route: 'main', chain, stream: false });
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(await dropped()).toBe(1);
    expect(hub.subscriberCount).toBe(1);
    // The reader that reads gets every event, after the drop too.
    bus.emit({ type: 'request.started', requestId: 'last', route: 'main', chain, stream: false });
    await reader.waitFor((e) => e.at(-1)?.requestId === 'last', 10_000);
    expect(reader.events).toHaveLength(sent + 1);
  });

  it('remembers routes only while somebody listens: a request already running shows its route at its end', async () => {
    const bus = new EventBus();
    const registry = new Registry();
    const hub = new EventHub({ bus, clock: systemClock, secrets: [], routes: { main: ['a'] }, registry });
    const port = await serveHub(hub);
    const started = (requestId: string) =>
      bus.emit({ type: 'request.started', requestId, route: 'main', chain: ['a'], stream: false });
    const attempt = (requestId: string) =>
      bus.emit({
        type: 'attempt.started',
        requestId,
        model: 'a',
        provider: 'pa',
        probe: false,
        retry: 0,
        hedge: false,
      });
    const succeeded = (requestId: string) =>
      bus.emit({
        type: 'request.succeeded',
        requestId,
        metadata: { ...freshMetadata(requestId, ['a'], 'main'), model: 'a', provider: 'pa', latencyMs: 1 },
      });
    started('before'); // nobody listens yet
    const reader = await subscribe(`http://127.0.0.1:${port}/events?route=main`);
    onCleanup(() => reader.close());
    await until(() => hub.subscriberCount === 1, 5_000, 'the subscriber connected');
    attempt('before');
    started('after');
    attempt('after');
    succeeded('before');
    succeeded('after');
    await reader.waitFor((e) => e.at(-1)?.requestId === 'after' && e.at(-1)?.type === 'request.succeeded');
    expect(reader.events.map((e) => `${e.type} ${e.requestId}`)).toEqual([
      'request.started after',
      'attempt.started after',
      'request.succeeded before',
      'request.succeeded after',
    ]);
  });
});
