import { describe, expect, it } from 'vitest';
import { ManualClock } from '../common/manual-clock.js';
import type { CircuitBreakerPolicy } from '../config/types.js';
import type { BreakerTransition } from './breaker-types.js';
import { CircuitBreaker } from './circuit-breaker.js';
import type { SharedTally } from './shared-counter.js';

const policy: CircuitBreakerPolicy = {
  failureThreshold: 3,
  windowMs: 10_000,
  cooldownMs: 1_000,
  maxCooldownMs: 5_000,
};

/** A tally whose other instances counted `others`; records what this one added and resets. */
function fakeTally(others = 0) {
  const tally = { others, added: 0, resets: 0 };
  const shared: SharedTally = {
    add: (n) => {
      tally.added += n;
    },
    others: () => tally.others,
    reset: () => {
      tally.resets++;
      tally.others = 0;
    },
  };
  return { tally, shared };
}

function setup(shared?: SharedTally) {
  const clock = new ManualClock(1_000_000);
  const transitions: BreakerTransition[] = [];
  const breaker = new CircuitBreaker(policy, clock, (t) => transitions.push(t), shared);
  return { clock, breaker, transitions };
}

const open = (atMs: number, reopenAtMs: number, cooldownMs = 1_000) =>
  ({ state: 'open', atMs, reopenAtMs, cooldownMs }) as const;

describe('CircuitBreaker shared with other instances', () => {
  it('an open from elsewhere opens a closed breaker, marked remote, and half-opens on its deadline', async () => {
    const { breaker, clock, transitions } = setup();
    expect(breaker.applyRemote(open(1_000_000, 1_002_000, 2_000))).toBe(true);
    expect(breaker.tryAcquire()).toBeUndefined();
    expect(breaker.readyAtMs()).toBe(1_002_000);
    expect(transitions).toEqual([
      {
        from: 'closed',
        to: 'open',
        atMs: 1_000_000,
        cooldownMs: 2_000,
        reason: 'opened on another instance',
        remote: true,
      },
    ]);
    await clock.advance(2_000);
    expect(breaker.tryAcquire()).toBe('probe');
    // A failed probe doubles the cooldown it learnt.
    breaker.failure('probe', 'HTTP 503');
    expect(breaker.snapshot()).toMatchObject({ state: 'open', cooldownMs: 4_000 });
  });

  it('between two opens the later deadline wins; extending an open breaker is silent', () => {
    const { breaker, transitions } = setup();
    breaker.applyRemote(open(1_000_000, 1_003_000));
    expect(breaker.applyRemote(open(1_000_000, 1_002_000))).toBe(false);
    expect(breaker.readyAtMs()).toBe(1_003_000);
    expect(breaker.applyRemote(open(1_000_500, 1_005_000))).toBe(true);
    expect(breaker.readyAtMs()).toBe(1_005_000);
    expect(transitions).toHaveLength(1);
  });

  it('a close from elsewhere closes an open breaker, unless it opened after that close', () => {
    const { breaker, transitions } = setup();
    for (let i = 0; i < 3; i++) breaker.failure('normal');
    expect(breaker.state).toBe('open');
    expect(breaker.applyRemote({ state: 'closed', atMs: 999_000, cooldownMs: 1_000 })).toBe(false);
    expect(breaker.state).toBe('open');
    expect(breaker.applyRemote({ state: 'closed', atMs: 1_000_000, cooldownMs: 1_000 })).toBe(true);
    expect(breaker.state).toBe('closed');
    expect(transitions.map((t) => `${t.from}>${t.to}${t.remote ? ' (remote)' : ''}`)).toEqual([
      'closed>open',
      'open>closed (remote)',
    ]);
  });

  it('an open older than the last close is stale; a close on a closed breaker changes nothing', async () => {
    const { breaker, clock } = setup();
    for (let i = 0; i < 3; i++) breaker.failure('normal');
    await clock.advance(1_000);
    breaker.success(breaker.tryAcquire() ?? 'normal');
    expect(breaker.state).toBe('closed');
    expect(breaker.applyRemote(open(1_000_500, 1_010_000))).toBe(false);
    expect(breaker.applyRemote({ state: 'closed', atMs: 1_001_000, cooldownMs: 1_000 })).toBe(false);
    expect(breaker.state).toBe('closed');
  });

  it('an open from elsewhere replaces a half-open period when its deadline is later', async () => {
    const { breaker, clock } = setup();
    for (let i = 0; i < 3; i++) breaker.failure('normal');
    await clock.advance(1_000);
    expect(breaker.state).toBe('half_open');
    expect(breaker.applyRemote(open(1_001_000, 1_003_000, 2_000))).toBe(true);
    expect(breaker.state).toBe('open');
    expect(breaker.readyAtMs()).toBe(1_003_000);
    // A probe verdict that arrives afterwards is ignored.
    breaker.success('probe');
    expect(breaker.state).toBe('open');
  });

  it('ignores garbage', () => {
    const { breaker } = setup();
    expect(breaker.applyRemote(open(Number.NaN, 1_003_000))).toBe(false);
    expect(breaker.applyRemote(open(1_000_000, Number.POSITIVE_INFINITY))).toBe(false);
    expect(breaker.state).toBe('closed');
  });

  it('counts the failures of other instances toward the threshold, and forgets them on close', async () => {
    const { tally, shared } = fakeTally(2);
    const { breaker, clock, transitions } = setup(shared);
    expect(breaker.snapshot().failuresInWindow).toBe(2);
    breaker.failure('normal', 'HTTP 503');
    expect(tally.added).toBe(1);
    expect(breaker.state).toBe('open');
    expect(transitions[0]?.reason).toBe('3 failures within 10000ms; last: HTTP 503');
    await clock.advance(1_000);
    breaker.success(breaker.tryAcquire() ?? 'normal');
    expect(breaker.state).toBe('closed');
    expect(tally.resets).toBe(1);
    expect(breaker.snapshot().failuresInWindow).toBe(0);
  });

  it('lastChange gives the open or close to share, nothing before the first', async () => {
    const { breaker, clock } = setup();
    expect(breaker.lastChange()).toBeUndefined();
    for (let i = 0; i < 3; i++) breaker.failure('normal');
    expect(breaker.lastChange()).toEqual(open(1_000_000, 1_001_000));
    await clock.advance(1_000);
    expect(breaker.state).toBe('half_open');
    expect(breaker.lastChange()).toEqual(open(1_000_000, 1_001_000));
    breaker.success(breaker.tryAcquire() ?? 'normal');
    expect(breaker.lastChange()).toEqual({ state: 'closed', atMs: 1_001_000, cooldownMs: 1_000 });
  });
});
