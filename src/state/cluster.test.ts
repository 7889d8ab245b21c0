import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../common/clock.js';
import type { RemoteStateEvent } from '../routing/index.js';
import { ClusterHub, type HubWorker } from './cluster-hub.js';
import { ClusterSharedState, type PrimaryChannel } from './cluster-shared-state.js';
import type { StoreHealthChange } from './store-health.js';

let closing: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closing) await close();
  closing = [];
});

/** A worker linked to `hub` by in-memory IPC (messages cloned and delivered asynchronously, as IPC does). */
function worker(hub: ClusterHub | undefined, id: string, replyTimeoutMs = 500) {
  const toWorker = new EventEmitter();
  const toPrimary = new EventEmitter();
  const deliver = (to: EventEmitter, message: unknown) =>
    setImmediate(() => to.emit('message', structuredClone(message)));
  const end: HubWorker = {
    send: (message) => {
      deliver(toWorker, message);
      return true;
    },
    on: (event: string, listener: (...args: unknown[]) => void) => toPrimary.on(event, listener),
  };
  hub?.attach(end);
  const channel: PrimaryChannel = {
    connected: true,
    send: (message) => {
      deliver(toPrimary, message);
      return true;
    },
    on: (event: string, listener: (...args: unknown[]) => void) => toWorker.on(event, listener),
    off: (event: string, listener: (...args: unknown[]) => void) => toWorker.off(event, listener),
  };
  const health: StoreHealthChange[] = [];
  const state = new ClusterSharedState({
    clock: systemClock,
    instanceId: id,
    channel,
    flushIntervalMs: 20,
    replyTimeoutMs,
    onHealth: (change) => health.push(change),
  });
  closing.push(() => state.close());
  const events: RemoteStateEvent[] = [];
  state.onRemote((event) => events.push(event));
  return {
    state,
    events,
    health,
    exit: () => toPrimary.emit('exit'),
    disconnect: () => {
      channel.connected = false;
      toWorker.emit('disconnect');
    },
  };
}

const open = (atMs: number, reopenAtMs: number) =>
  ({ state: 'open', atMs, cooldownMs: 1_000, reopenAtMs }) as const;

describe('serve --workers: the primary as the shared state hub', () => {
  it('relays a breaker change to the other workers, never back to its author', async () => {
    const hub = new ClusterHub();
    const [one, two, three] = [worker(hub, 'w1'), worker(hub, 'w2'), worker(hub, 'w3')];
    one.state.publishBreaker('a', open(1_000, 2_000));
    await expect
      .poll(() => two.events)
      .toEqual([{ type: 'breaker', model: 'a', change: open(1_000, 2_000), instanceId: 'w1' }]);
    await expect.poll(() => three.events).toHaveLength(1);
    expect(one.events).toEqual([]);
    // An older change is answered with the stored one, to its author only.
    two.state.publishBreaker('a', open(900, 1_500));
    await expect.poll(() => two.events).toHaveLength(2);
    expect(two.events[1]).toMatchObject({ change: open(1_000, 2_000), instanceId: 'w1' });
    expect(three.events).toHaveLength(1);
  });

  it('cooldowns: the later deadline is relayed, an earlier one answered with it', async () => {
    const hub = new ClusterHub();
    const [one, two] = [worker(hub, 'w1'), worker(hub, 'w2')];
    const until = Date.now() + 60_000;
    one.state.publishCooldown('a', until);
    await expect
      .poll(() => two.events)
      .toEqual([{ type: 'cooldown', model: 'a', untilMs: until, instanceId: 'w1' }]);
    two.state.publishCooldown('a', until - 1_000);
    await expect.poll(() => two.events).toHaveLength(2);
    expect(two.events[1]).toMatchObject({ untilMs: until });
  });

  it('a worker that (re)starts gets the current state', async () => {
    const hub = new ClusterHub();
    worker(hub, 'w1').state.publishBreaker('a', open(1_000, 2_000));
    await new Promise((r) => setTimeout(r, 20));
    const late = worker(hub, 'w2');
    await expect
      .poll(() => late.events)
      .toEqual([{ type: 'breaker', model: 'a', change: open(1_000, 2_000), instanceId: 'w1' }]);
  });

  it('grants the probe to one worker at a time; a worker that exits gives it up', async () => {
    const hub = new ClusterHub();
    const [one, two] = [worker(hub, 'w1'), worker(hub, 'w2')];
    expect(await Promise.all([one.state.claimProbe('a', 10_000), two.state.claimProbe('a', 10_000)])).toEqual(
      [true, false],
    );
    one.state.releaseProbe('a');
    expect(await two.state.claimProbe('a', 10_000)).toBe(true);
    expect(await one.state.claimProbe('a', 10_000)).toBe(false);
    two.exit();
    expect(await one.state.claimProbe('a', 10_000)).toBe(true);
  });

  it('counters: each worker reads the others’ totals', async () => {
    const hub = new ClusterHub();
    const [one, two] = [worker(hub, 'w1'), worker(hub, 'w2')];
    one.state.addCount('retry_budget:retries', 3, 10_000);
    two.state.addCount('retry_budget:retries', 1, 10_000);
    await expect.poll(() => two.state.count('retry_budget:retries', 10_000)).toBe(3);
    await expect.poll(() => one.state.count('retry_budget:retries', 10_000)).toBe(1);
    one.state.resetCount('retry_budget:retries');
    await expect.poll(() => two.state.count('retry_budget:retries', 10_000)).toBe(0);
  });

  it('without an answer from the primary a claim is granted; a lost primary is reported once', async () => {
    const lonely = worker(undefined, 'w1', 50);
    expect(lonely.state.status()).toMatchObject({ store: 'cluster', connected: true });
    expect(await lonely.state.claimProbe('a', 10_000)).toBe(true);
    lonely.disconnect();
    lonely.state.publishBreaker('a', open(1, 2));
    lonely.state.publishCooldown('a', 5);
    expect(await lonely.state.claimProbe('a', 10_000)).toBe(true);
    expect(lonely.state.status()).toMatchObject({ connected: false, degradedSinceMs: expect.any(Number) });
    expect(lonely.health).toEqual([
      { type: 'degraded', store: 'cluster', reason: 'the primary process is gone' },
    ]);
  });
});
