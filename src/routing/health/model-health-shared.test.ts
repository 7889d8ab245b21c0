import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../common/manual-clock.js';
import { parseConfig } from '../../config/index.js';
import type { SharedBreakerChange } from '../../resilience/breaker-types.js';
import { EventBus, type SwitchboardEvent } from '../events.js';
import { ModelHealth } from './model-health.js';
import type { RemoteStateEvent, SharedState } from './shared-state.js';

/** A SharedState that records what is published and lets the test answer claims and speak as others. */
class FakeShared implements SharedState {
  readonly published: Array<[string, SharedBreakerChange | number]> = [];
  readonly claims: Array<{ model: string; answer: (won: boolean) => void }> = [];
  readonly released: string[] = [];
  readonly others = new Map<string, number>();
  #listeners: Array<(event: RemoteStateEvent) => void> = [];

  publishBreaker(model: string, change: SharedBreakerChange) {
    this.published.push([model, change]);
  }
  publishCooldown(model: string, untilMs: number) {
    this.published.push([model, untilMs]);
  }
  claimProbe(model: string) {
    return new Promise<boolean>((answer) => this.claims.push({ model, answer }));
  }
  releaseProbe(model: string) {
    this.released.push(model);
  }
  addCount() {}
  count(key: string) {
    return this.others.get(key) ?? 0;
  }
  resetCount() {}
  onRemote(listener: (event: RemoteStateEvent) => void) {
    this.#listeners.push(listener);
    return () => {
      this.#listeners = this.#listeners.filter((l) => l !== listener);
    };
  }
  remote(event: RemoteStateEvent) {
    for (const listener of this.#listeners) listener(event);
  }
  status() {
    return { store: 'redis' as const, instanceId: 'me', connected: true };
  }
  async ready() {}
  async close() {}
}

function setup() {
  const config = parseConfig({
    providers: { p: { base_url: 'http://127.0.0.1:9/v1' } },
    models: { a: { provider: 'p' }, b: { provider: 'p', rpm: 5 } },
    routes: { main: ['a', 'b'] },
    circuit_breaker: { failure_threshold: 1, cooldown_ms: 1_000 },
  });
  const clock = new ManualClock(1_000_000);
  const bus = new EventBus();
  const events: SwitchboardEvent[] = [];
  bus.on((e) => events.push(e));
  const shared = new FakeShared();
  const health = new ModelHealth(config, clock, bus, shared);
  return { clock, shared, health, events };
}

const flush = () => new Promise((r) => setImmediate(r));

describe('ModelHealth with shared state', () => {
  it('publishes its own opens and closes, never the ones it learnt (no echo)', async () => {
    const { shared, health, events, clock } = setup();
    health.breaker('a').failure('normal', 'HTTP 503');
    expect(shared.published).toEqual([
      ['a', { state: 'open', atMs: 1_000_000, cooldownMs: 1_000, reopenAtMs: 1_001_000 }],
    ]);
    shared.remote({
      type: 'breaker',
      model: 'b',
      change: { state: 'open', atMs: 1_000_000, cooldownMs: 5_000, reopenAtMs: 1_005_000 },
      instanceId: 'other',
    });
    expect(health.breaker('b').state).toBe('open');
    expect(health.acquire('b')).toEqual({ reason: 'breaker_open', untilMs: 1_005_000 });
    expect(shared.published).toHaveLength(1);
    expect(
      events.filter((e) => e.type === 'breaker.transition').map((e) => [e.model, 'remote' in e && e.remote]),
    ).toEqual([
      ['a', false],
      ['b', true],
    ]);
    shared.remote({
      type: 'breaker',
      model: 'b',
      change: { state: 'closed', atMs: 1_000_001, cooldownMs: 1_000 },
      instanceId: 'other',
    });
    expect(health.breaker('b').state).toBe('closed');
    expect(shared.published).toHaveLength(1);
    await clock.advance(0);
  });

  it('shares a cooldown that moved, applies others’ without sharing them again, ignores unknown models', () => {
    const { shared, health } = setup();
    expect(health.coolDown('a', 1_060_000)).toBe(true);
    expect(health.coolDown('a', 1_030_000)).toBe(false);
    expect(shared.published).toEqual([['a', 1_060_000]]);
    shared.remote({ type: 'cooldown', model: 'b', untilMs: 1_090_000, instanceId: 'other' });
    shared.remote({ type: 'cooldown', model: 'zzz', untilMs: 1_090_000, instanceId: 'other' });
    expect(health.cooldownUntil('b')).toBe(1_090_000);
    expect(shared.published).toHaveLength(1);
  });

  it('rpm counts the other instances’ requests', () => {
    const { shared, health } = setup();
    expect(health.acquire('b')).toEqual({ permit: 'normal' });
    shared.others.set('rpm:b', 5);
    expect(health.acquire('b')).toMatchObject({ reason: 'rate_limit' });
    expect(health.isAvailable('b')).toBe(false);
  });

  it('half-open: the local probe waits for the cluster claim; the winner probes once', async () => {
    const { shared, health, clock } = setup();
    health.breaker('a').failure('normal');
    await clock.advance(1_000);
    expect(health.acquire('a')).toEqual({ reason: 'breaker_open' });
    expect(health.acquire('a')).toEqual({ reason: 'breaker_open' });
    expect(shared.claims.map((c) => c.model)).toEqual(['a']);
    shared.claims[0]?.answer(true);
    await flush();
    expect(health.acquire('a')).toEqual({ permit: 'probe' });
    expect(health.acquire('a')).toEqual({ reason: 'breaker_open', untilMs: undefined });
    health.breaker('a').success('probe');
    expect(shared.released).toEqual(['a']);
    expect(shared.published.at(-1)).toEqual(['a', { state: 'closed', atMs: 1_001_000, cooldownMs: 1_000 }]);
  });

  it('half-open: a lost claim keeps the model shut until another instance’s verdict or the claim lapses', async () => {
    const { shared, health, clock } = setup();
    health.breaker('a').failure('normal');
    await clock.advance(1_000);
    health.acquire('a');
    shared.claims[0]?.answer(false);
    await flush();
    expect(health.acquire('a')).toEqual({ reason: 'breaker_open' });
    expect(shared.claims).toHaveLength(1);
    shared.remote({
      type: 'breaker',
      model: 'a',
      change: { state: 'closed', atMs: 1_001_000, cooldownMs: 1_000 },
      instanceId: 'other',
    });
    expect(health.acquire('a')).toEqual({ permit: 'normal' });

    health.breaker('a').failure('normal');
    await clock.advance(1_000);
    health.acquire('a');
    shared.claims[1]?.answer(false);
    await flush();
    // The claim's time to live: max(attempt_ms, first_token_ms) = 60 s by default.
    await clock.advance(60_000);
    expect(health.acquire('a')).toEqual({ reason: 'breaker_open' });
    expect(shared.claims).toHaveLength(3);
  });

  it('close() stops listening to the others', () => {
    const { shared, health } = setup();
    health.close();
    shared.remote({ type: 'cooldown', model: 'a', untilMs: 1_090_000, instanceId: 'other' });
    expect(health.cooldownUntil('a')).toBeUndefined();
  });
});
