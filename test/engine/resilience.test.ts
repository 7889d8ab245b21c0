import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/common/manual-clock.js';
import { createSwitchboard } from '../../src/switchboard.js';
import { configFor, hello, onCleanup, startEngine, startMocks } from '../support/engine.js';

const setup = (
  faults: Record<string, string>,
  overrides: Record<string, unknown> = {},
  clock?: ManualClock,
) => startEngine(faults, overrides, clock ? { clock } : {});

describe('Retry-After', () => {
  it('short and no other model can answer: waits it out, then retries (gap seen by the provider)', async () => {
    const { sb, mocks } = await setup({ a: '429ms:250' }, { retry: { max_retries: 1 } });
    const error = await sb.chat(hello()).catch((e) => e);
    expect(error.code).toBe('all_models_failed');
    const log = mocks.a!.stats().log;
    expect(log).toHaveLength(2);
    expect(log[1]!.t - log[0]!.t).toBeGreaterThanOrEqual(250);
  });

  it('long: fails over at once and the model is skipped until the deadline passes', async () => {
    const clock = new ManualClock(1_000_000);
    const { sb, count, events } = await setup({ a: '429:60', b: 'ok' }, {}, clock);
    expect((await sb.chat(hello())).metadata.model).toBe('b');
    expect([count('a'), count('b')]).toEqual([1, 1]);
    expect(events.find((e) => e.type === 'model.cooling_down')).toMatchObject({
      model: 'a',
      untilMs: 1_060_000,
    });

    const second = await sb.chat(hello());
    expect(second.metadata.skipped).toEqual([{ model: 'a', reason: 'cooling_down', untilMs: 1_060_000 }]);
    expect([count('a'), count('b')]).toEqual([1, 2]);

    await clock.advance(60_000);
    await sb.chat(hello());
    expect(count('a')).toBe(2);
  });

  it('is skipped, not slept on, when another model can answer', async () => {
    const { sb, count, events } = await setup({ a: '429:2', b: 'ok' });
    const { metadata } = await sb.chat(hello());
    expect(metadata.model).toBe('b');
    expect([count('a'), count('b')]).toEqual([1, 1]);
    expect(events.some((e) => e.type === 'retry.scheduled')).toBe(false);
  });

  it('a 429 without a header backs off and retries, never in a tight loop', async () => {
    const { sb, count, events } = await setup({ a: '429', b: 'ok' });
    await sb.chat(hello());
    expect(count('a')).toBe(3);
    expect(
      events.filter((e) => e.type === 'retry.scheduled').map((e) => (e as { reason: string }).reason),
    ).toEqual(['HTTP 429; backoff', 'HTTP 429; backoff']);
  });
});

describe('circuit breaker', () => {
  const breaker = { failure_threshold: 2, window_ms: 10_000, cooldown_ms: 1_000, max_cooldown_ms: 4_000 };

  it('opens, skips without a network call, half-opens with exactly one probe, closes', async () => {
    const clock = new ManualClock(0);
    const { sb, mocks, count, events } = await setup(
      { a: '503', b: 'ok' },
      { retry: { max_retries: 0 }, circuit_breaker: breaker },
      clock,
    );
    await sb.chat(hello());
    await sb.chat(hello());
    expect(sb.health.breaker('a').state).toBe('open');
    await sb.chat(hello());
    expect(count('a')).toBe(2);

    await clock.advance(1_000);
    mocks.a!.setFault('slow-first-token:150');
    const results = await Promise.all(Array.from({ length: 5 }, () => sb.chat(hello())));
    expect(results.map((r) => r.metadata.model).sort()).toEqual(['a', 'b', 'b', 'b', 'b']);
    expect(count('a')).toBe(3);
    expect(results.find((r) => r.metadata.model === 'a')?.metadata.attempts[0]?.probe).toBe(true);
    expect(sb.health.breaker('a').state).toBe('closed');
    const transitions = events
      .filter((e) => e.type === 'breaker.transition')
      .map((e) => `${(e as { from: string }).from}>${(e as { to: string }).to}`);
    expect(transitions).toEqual(['closed>open', 'open>half_open', 'half_open>closed']);
  });

  it('a failed probe reopens the breaker with the cooldown doubled, capped', async () => {
    const clock = new ManualClock(0);
    // The breaker's own half-open probe: active health probes (every 10 s) would add requests to a.
    const { sb, count, events } = await setup(
      { a: '503', b: 'ok' },
      { retry: { max_retries: 0 }, circuit_breaker: breaker, health_probe: { enabled: false } },
      clock,
    );
    await sb.chat(hello());
    await sb.chat(hello());
    const cooldowns = () =>
      events
        .filter((e) => e.type === 'breaker.transition' && e.to === 'open')
        .map((e) => (e as { cooldownMs: number }).cooldownMs);
    for (const wait of [1_000, 2_000, 4_000, 4_000]) {
      await clock.advance(wait - 1);
      await sb.chat(hello());
      const before = count('a');
      await clock.advance(1);
      await sb.chat(hello());
      expect(count('a')).toBe(before + 1);
    }
    expect(cooldowns()).toEqual([1_000, 2_000, 4_000, 4_000, 4_000]);
  });

  it('client errors never count against the breaker', async () => {
    const { sb } = await setup({ a: '400' }, { circuit_breaker: { failure_threshold: 1 } });
    await sb.chat(hello()).catch(() => {});
    await sb.chat(hello()).catch(() => {});
    expect(sb.health.breaker('a').state).toBe('closed');
  });

  it('when every model is open, still tries the one that recovers soonest', async () => {
    const clock = new ManualClock(0);
    const { sb, mocks, count } = await setup(
      { a: '503', b: '503' },
      { retry: { max_retries: 0 }, circuit_breaker: { failure_threshold: 1, cooldown_ms: 5_000 } },
      clock,
    );
    await sb.chat(hello()).catch(() => {});
    expect([sb.health.breaker('a').state, sb.health.breaker('b').state]).toEqual(['open', 'open']);
    // Both opened together; on a tie the chain order decides, so a is tried (and has recovered).
    mocks.a!.setFault('ok');
    const { metadata } = await sb.chat(hello());
    expect(metadata.skipped.map((s) => s.model)).toEqual(['a', 'b']);
    expect(metadata.attempts).toMatchObject([{ model: 'a', outcome: 'success' }]);
    expect([count('a'), count('b')]).toEqual([2, 1]);
  });

  it('a refused connection counts against every model of that provider', async () => {
    const { mocks, close } = await startMocks({ b: {} });
    onCleanup(close);
    const config = configFor(mocks, {
      retry: { max_retries: 0 },
      circuit_breaker: { failure_threshold: 1 },
      routes: { main: ['dead1', 'b'] },
    });
    (config.providers as Record<string, unknown>).dead = { base_url: 'http://127.0.0.1:9/v1' };
    Object.assign(config.models as object, {
      dead1: { provider: 'dead', price: { input: 1, output: 1 } },
      dead2: { provider: 'dead', price: { input: 1, output: 1 } },
    });
    const sb = createSwitchboard(config, { logger: false });
    onCleanup(() => sb.close());
    const { metadata } = await sb.chat(hello());
    expect(metadata.attempts[0]).toMatchObject({ model: 'dead1', errorCode: 'connect_failed' });
    expect(sb.health.breaker('dead2').state).toBe('open');
  });
});
