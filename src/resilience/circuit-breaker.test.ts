import { describe, expect, it } from 'vitest';
import { ManualClock } from '../common/manual-clock.js';
import type { CircuitBreakerPolicy } from '../config/types.js';
import { type BreakerTransition, CircuitBreaker } from './circuit-breaker.js';

const policy: CircuitBreakerPolicy = {
  failureThreshold: 3,
  windowMs: 10_000,
  cooldownMs: 1_000,
  maxCooldownMs: 5_000,
};

function setup(overrides: Partial<CircuitBreakerPolicy> = {}) {
  const clock = new ManualClock(1_000_000);
  const transitions: BreakerTransition[] = [];
  const breaker = new CircuitBreaker({ ...policy, ...overrides }, clock, (t) => transitions.push(t));
  return { clock, breaker, transitions };
}

function trip(breaker: CircuitBreaker, count = policy.failureThreshold): void {
  for (let i = 0; i < count; i++) breaker.failure(breaker.tryAcquire() ?? 'normal', 'boom');
}

describe('CircuitBreaker', () => {
  it('starts closed and hands out normal permits', () => {
    const { breaker } = setup();
    expect(breaker.state).toBe('closed');
    expect(breaker.tryAcquire()).toBe('normal');
    expect(breaker.tryAcquire()).toBe('normal');
    expect(breaker.readyAtMs()).toBeUndefined();
    expect(breaker.snapshot()).toEqual({ state: 'closed', failuresInWindow: 0, cooldownMs: 1_000 });
  });

  it('opens once the threshold is reached inside the window', async () => {
    const { breaker, clock, transitions } = setup();
    breaker.failure('normal');
    await clock.advance(4_000);
    breaker.failure('normal');
    expect(breaker.state).toBe('closed');
    expect(breaker.snapshot().failuresInWindow).toBe(2);
    await clock.advance(4_000);
    breaker.failure('normal', 'HTTP 503');
    expect(breaker.state).toBe('open');
    expect(transitions).toEqual([
      {
        from: 'closed',
        to: 'open',
        atMs: 1_008_000,
        cooldownMs: 1_000,
        reason: '3 failures within 10000ms; last: HTTP 503',
      },
    ]);
    expect(breaker.readyAtMs()).toBe(1_009_000);
    expect(breaker.snapshot()).toEqual({
      state: 'open',
      failuresInWindow: 0,
      cooldownMs: 1_000,
      reopenAtMs: 1_009_000,
    });
  });

  it('does not open when the failures are spread wider than the window', async () => {
    const { breaker, clock } = setup();
    for (let i = 0; i < 10; i++) {
      breaker.failure('normal');
      await clock.advance(5_000); // only two failures ever inside 10 s
    }
    expect(breaker.state).toBe('closed');
    expect(breaker.snapshot().failuresInWindow).toBe(1);
  });

  it('treats a failure exactly windowMs old as outside the window', async () => {
    const { breaker, clock } = setup();
    breaker.failure('normal');
    breaker.failure('normal');
    await clock.advance(10_000);
    expect(breaker.snapshot().failuresInWindow).toBe(0);
    breaker.failure('normal');
    expect(breaker.state).toBe('closed');
  });

  it('does not reset the count on success: failures age out instead', () => {
    const { breaker } = setup();
    breaker.failure('normal');
    breaker.success('normal');
    breaker.failure('normal');
    breaker.success('normal');
    breaker.failure('normal');
    expect(breaker.state).toBe('open');
  });

  it('skips callers while open, then admits a probe once the cooldown passes', async () => {
    const { breaker, clock, transitions } = setup();
    trip(breaker);
    expect(breaker.tryAcquire()).toBeUndefined();
    await clock.advance(999);
    expect(breaker.tryAcquire()).toBeUndefined();
    expect(breaker.state).toBe('open');
    await clock.advance(1);
    expect(breaker.state).toBe('half_open');
    expect(breaker.readyAtMs()).toBeUndefined();
    expect(transitions.map((t) => `${t.from}->${t.to}`)).toEqual(['closed->open', 'open->half_open']);
    expect(transitions[1]).toMatchObject({ atMs: 1_001_000, cooldownMs: 1_000, reason: 'cooldown elapsed' });
    expect(breaker.tryAcquire()).toBe('probe');
  });

  it('reports open→half_open when it is first noticed, not when it became due', async () => {
    const { breaker, clock, transitions } = setup();
    trip(breaker);
    await clock.advance(60_000);
    expect(transitions).toHaveLength(1);
    expect(breaker.tryAcquire()).toBe('probe');
    expect(transitions[1]).toMatchObject({ from: 'open', to: 'half_open', atMs: 1_060_000 });
  });

  it('gives exactly one probe among many concurrent callers', async () => {
    const { breaker, clock } = setup();
    trip(breaker);
    await clock.advance(1_000);
    const permits = await Promise.all(Array.from({ length: 50 }, async () => breaker.tryAcquire()));
    expect(permits.filter((p) => p === 'probe')).toHaveLength(1);
    expect(permits.filter((p) => p === undefined)).toHaveLength(49);
    expect(breaker.state).toBe('half_open');
  });

  it('closes on probe success and resets the cooldown', async () => {
    const { breaker, clock, transitions } = setup();
    trip(breaker);
    await clock.advance(1_000);
    breaker.failure(breaker.tryAcquire()!); // cooldown 2000
    await clock.advance(2_000);
    const probe = breaker.tryAcquire();
    expect(probe).toBe('probe');
    breaker.success(probe!);
    expect(breaker.state).toBe('closed');
    expect(breaker.tryAcquire()).toBe('normal');
    expect(breaker.snapshot()).toEqual({ state: 'closed', failuresInWindow: 0, cooldownMs: 1_000 });
    expect(transitions.at(-1)).toMatchObject({
      from: 'half_open',
      to: 'closed',
      cooldownMs: 1_000,
      reason: 'probe succeeded',
    });
    // Closed again with a clean slate: trips at the policy cooldown.
    trip(breaker);
    expect(breaker.readyAtMs()).toBe(clock.now() + 1_000);
  });

  it('reopens on probe failure with the cooldown doubled, then capped', async () => {
    const { breaker, clock, transitions } = setup();
    trip(breaker);
    const cooldowns: number[] = [];
    for (let i = 0; i < 5; i++) {
      await clock.advance(breaker.readyAtMs()! - clock.now());
      const probe = breaker.tryAcquire();
      expect(probe).toBe('probe');
      breaker.failure(probe!, 'timeout');
      expect(breaker.state).toBe('open');
      cooldowns.push(breaker.readyAtMs()! - clock.now());
    }
    expect(cooldowns).toEqual([2_000, 4_000, 5_000, 5_000, 5_000]);
    expect(transitions[2]).toMatchObject({
      from: 'half_open',
      to: 'open',
      cooldownMs: 2_000,
      reason: 'probe failed: timeout',
    });
    expect(breaker.snapshot().cooldownMs).toBe(5_000);
  });

  it('release hands the probe slot back so another caller may probe', async () => {
    const { breaker, clock, transitions } = setup();
    trip(breaker);
    await clock.advance(1_000);
    const probe = breaker.tryAcquire();
    expect(probe).toBe('probe');
    expect(breaker.tryAcquire()).toBeUndefined();
    breaker.release(probe!);
    expect(breaker.state).toBe('half_open');
    expect(breaker.tryAcquire()).toBe('probe');
    expect(breaker.tryAcquire()).toBeUndefined();
    expect(transitions).toHaveLength(2); // release is not a transition
  });

  it('ignores releasing a normal permit', () => {
    const { breaker } = setup();
    breaker.release(breaker.tryAcquire()!);
    expect(breaker.snapshot()).toEqual({ state: 'closed', failuresInWindow: 0, cooldownMs: 1_000 });
  });

  it('counts recordFailure in closed state and opens on it', () => {
    const { breaker, transitions } = setup();
    breaker.recordFailure('connection refused');
    breaker.recordFailure('connection refused');
    expect(breaker.snapshot().failuresInWindow).toBe(2);
    breaker.recordFailure('connection refused');
    expect(breaker.state).toBe('open');
    expect(transitions[0]?.reason).toBe('3 failures within 10000ms; last: connection refused');
  });

  it('mixes recordFailure with permit failures in the same window', () => {
    const { breaker } = setup();
    breaker.recordFailure();
    breaker.failure('normal');
    breaker.recordFailure();
    expect(breaker.state).toBe('open');
  });

  it('ignores recordFailure while open or half-open', async () => {
    const { breaker, clock, transitions } = setup();
    trip(breaker);
    const readyAt = breaker.readyAtMs();
    breaker.recordFailure();
    expect(breaker.readyAtMs()).toBe(readyAt);
    await clock.advance(1_000);
    expect(breaker.state).toBe('half_open');
    breaker.recordFailure();
    expect(breaker.state).toBe('half_open');
    expect(breaker.tryAcquire()).toBe('probe');
    expect(transitions).toHaveLength(2);
  });

  it('ignores late verdicts on normal permits once the breaker left closed', async () => {
    const { breaker, clock } = setup();
    const late = [breaker.tryAcquire()!, breaker.tryAcquire()!];
    trip(breaker);
    breaker.failure(late[0]!);
    breaker.success(late[1]!);
    expect(breaker.readyAtMs()).toBe(clock.now() + 1_000);
    await clock.advance(1_000);
    const probe = breaker.tryAcquire();
    breaker.failure('normal'); // a straggler while the probe is out
    breaker.success('normal');
    expect(breaker.state).toBe('half_open');
    breaker.success(probe!);
    expect(breaker.state).toBe('closed');
  });

  it('ignores probe verdicts when no probe is out', async () => {
    const { breaker, clock, transitions } = setup();
    breaker.success('probe');
    breaker.failure('probe');
    breaker.release('probe');
    expect(breaker.state).toBe('closed');
    trip(breaker);
    breaker.success('probe');
    expect(breaker.state).toBe('open');
    await clock.advance(1_000);
    breaker.failure('probe'); // half-open but nobody holds the probe
    expect(breaker.state).toBe('half_open');
    const probe = breaker.tryAcquire()!;
    breaker.success(probe);
    breaker.success(probe); // settled twice
    breaker.failure(probe);
    expect(breaker.state).toBe('closed');
    expect(transitions.map((t) => t.to)).toEqual(['open', 'half_open', 'closed']);
  });

  it('emits every transition in order', async () => {
    const { breaker, clock, transitions } = setup();
    trip(breaker);
    await clock.advance(1_000);
    breaker.failure(breaker.tryAcquire()!);
    await clock.advance(2_000);
    breaker.success(breaker.tryAcquire()!);
    expect(transitions.map((t) => [t.from, t.to, t.atMs, t.cooldownMs])).toEqual([
      ['closed', 'open', 1_000_000, 1_000],
      ['open', 'half_open', 1_001_000, 1_000],
      ['half_open', 'open', 1_001_000, 2_000],
      ['open', 'half_open', 1_003_000, 2_000],
      ['half_open', 'closed', 1_003_000, 1_000],
    ]);
  });

  it('survives a throwing or rejecting listener', async () => {
    const clock = new ManualClock();
    let calls = 0;
    const throwing = new CircuitBreaker(policy, clock, () => {
      calls++;
      throw new Error('listener broke');
    });
    trip(throwing);
    expect(throwing.state).toBe('open');
    await clock.advance(1_000);
    expect(throwing.tryAcquire()).toBe('probe');
    throwing.success('probe');
    expect(throwing.state).toBe('closed');
    expect(calls).toBe(3);

    const rejecting = new CircuitBreaker(policy, clock, async () => {
      throw new Error('async listener broke');
    });
    trip(rejecting);
    expect(rejecting.state).toBe('open');
  });

  it('works without a listener', async () => {
    const clock = new ManualClock();
    const breaker = new CircuitBreaker(policy, clock);
    trip(breaker);
    await clock.advance(1_000);
    expect(breaker.tryAcquire()).toBe('probe');
  });

  it('stays consistent when the listener calls back into the breaker', async () => {
    const clock = new ManualClock();
    const seen: string[] = [];
    const breaker: CircuitBreaker = new CircuitBreaker(policy, clock, (t) => {
      seen.push(`${t.to}:${breaker.state}`);
    });
    trip(breaker);
    await clock.advance(1_000);
    expect(breaker.tryAcquire()).toBe('probe');
    expect(seen).toEqual(['open:open', 'half_open:half_open']);
  });

  it.each<[string, Partial<CircuitBreakerPolicy>, number[]]>([
    ['threshold 1 opens on the first failure', { failureThreshold: 1 }, [1_000, 2_000]],
    ['threshold 0 behaves like 1', { failureThreshold: 0 }, [1_000, 2_000]],
    ['max below cooldown disables doubling', { maxCooldownMs: 10 }, [1_000, 1_000]],
    ['max equal to cooldown', { maxCooldownMs: 1_000 }, [1_000, 1_000]],
    ['zero cooldown reopens at once', { cooldownMs: 0, maxCooldownMs: 0 }, [0, 0]],
    ['negative cooldown counts as zero', { cooldownMs: -5, maxCooldownMs: -5 }, [0, 0]],
  ])('odd policy: %s', async (_name, overrides, expectedCooldowns) => {
    const { breaker, clock } = setup(overrides);
    trip(breaker, Math.max(1, overrides.failureThreshold ?? policy.failureThreshold));
    const first = breaker.snapshot().reopenAtMs;
    const cooldowns = [(first ?? clock.now()) - clock.now()];
    await clock.advance(cooldowns[0]!);
    breaker.failure(breaker.tryAcquire()!);
    const second = breaker.snapshot().reopenAtMs;
    cooldowns.push((second ?? clock.now()) - clock.now());
    expect(cooldowns).toEqual(expectedCooldowns);
  });
});
