import { describe, expect, it } from 'vitest';
import { FakeSharedCounter } from '../../test/support/fake-shared-counter.js';
import type { Clock } from '../common/clock.js';
import { ManualClock } from '../common/manual-clock.js';
import type { RetryBudgetConfig } from '../config/types.js';
import { RetryBudget } from './retry-budget.js';

const CONFIG: RetryBudgetConfig = { ratio: 0.2, minRetriesPerWindow: 3, windowMs: 10_000 };

function setup(config: Partial<RetryBudgetConfig> = {}) {
  const clock = new ManualClock(1_000_000);
  return { clock, budget: new RetryBudget({ ...CONFIG, ...config }, clock) };
}

/** Acquires until refused (at most `cap` times); returns how many were granted. */
function drain(budget: RetryBudget, cap = 10_000): number {
  let granted = 0;
  while (granted < cap && budget.tryAcquire()) granted++;
  return granted;
}

function record(budget: RetryBudget, n: number): void {
  for (let i = 0; i < n; i++) budget.recordRequest();
}

describe('RetryBudget', () => {
  it('starts empty, with only the floor allowed', () => {
    const { budget } = setup();
    expect(budget.snapshot()).toEqual({ requests: 0, retries: 0, allowed: 3 });
  });

  it('lets low traffic retry up to the floor, then refuses', () => {
    const { budget } = setup();
    record(budget, 2);
    expect(drain(budget)).toBe(3);
    expect(budget.tryAcquire()).toBe(false);
    expect(budget.snapshot()).toEqual({ requests: 2, retries: 3, allowed: 3 });
  });

  it('allows ratio × requests under high traffic: 100 requests at 0.2 → 20 retries', () => {
    const { budget } = setup({ minRetriesPerWindow: 10 });
    record(budget, 100);
    expect(budget.snapshot().allowed).toBe(20);
    expect(drain(budget)).toBe(20);
    expect(budget.tryAcquire()).toBe(false);
    expect(budget.snapshot()).toEqual({ requests: 100, retries: 20, allowed: 20 });
  });

  it('earns more retries as more requests arrive', () => {
    const { budget } = setup({ minRetriesPerWindow: 0 });
    expect(budget.tryAcquire()).toBe(false);
    record(budget, 4);
    expect(budget.tryAcquire()).toBe(false); // floor(0.2 × 4) = 0
    budget.recordRequest();
    expect(budget.tryAcquire()).toBe(true); // floor(0.2 × 5) = 1
    expect(budget.tryAcquire()).toBe(false);
  });

  it.each<[string, Partial<RetryBudgetConfig>, number, number]>([
    // name, config, requests, expected allowed
    ['ratio 0 → only the floor', { ratio: 0, minRetriesPerWindow: 5 }, 1_000, 5],
    ['ratio 1 → one per request', { ratio: 1, minRetriesPerWindow: 5 }, 40, 40],
    ['floor above ratio × requests', { ratio: 0.1, minRetriesPerWindow: 10 }, 50, 10],
    ['fractional product rounds down', { ratio: 0.25, minRetriesPerWindow: 0 }, 7, 1],
    ['fractional floor rounds down', { ratio: 0, minRetriesPerWindow: 2.9 }, 0, 2],
    ['NaN ratio counts as 0', { ratio: Number.NaN, minRetriesPerWindow: 2 }, 100, 2],
    ['negative ratio counts as 0', { ratio: -1, minRetriesPerWindow: 2 }, 100, 2],
    ['Infinity ratio counts as 0', { ratio: Number.POSITIVE_INFINITY, minRetriesPerWindow: 2 }, 100, 2],
    ['negative floor counts as 0', { ratio: 0.5, minRetriesPerWindow: -3 }, 4, 2],
    ['NaN floor counts as 0', { ratio: 0.5, minRetriesPerWindow: Number.NaN }, 0, 0],
  ])('%s', (_name, config, requests, allowed) => {
    const { budget } = setup(config);
    record(budget, requests);
    expect(budget.snapshot().allowed).toBe(allowed);
    expect(drain(budget)).toBe(allowed);
  });

  it('ages old buckets out of the window', async () => {
    const { clock, budget } = setup({ minRetriesPerWindow: 0 });
    record(budget, 50); // bucket 0
    await clock.advance(5_000);
    record(budget, 50); // bucket 5
    expect(budget.snapshot()).toEqual({ requests: 100, retries: 0, allowed: 20 });
    expect(drain(budget)).toBe(20);
    await clock.advance(4_999); // still inside bucket 9 of the window that began with bucket 0
    expect(budget.snapshot()).toEqual({ requests: 100, retries: 20, allowed: 20 });
    await clock.advance(1); // bucket 0 leaves; the retries, granted in bucket 5, still count
    expect(budget.snapshot()).toEqual({ requests: 50, retries: 20, allowed: 10 });
    expect(budget.tryAcquire()).toBe(false);
    await clock.advance(5_000); // bucket 5 leaves
    expect(budget.snapshot()).toEqual({ requests: 0, retries: 0, allowed: 0 });
    budget.recordRequest();
    expect(budget.snapshot()).toEqual({ requests: 1, retries: 0, allowed: 0 });
  });

  it('refills the floor once refused retries age out', async () => {
    const { clock, budget } = setup();
    expect(drain(budget)).toBe(3);
    await clock.advance(9_999);
    expect(budget.tryAcquire()).toBe(false);
    await clock.advance(1);
    expect(drain(budget)).toBe(3);
  });

  it('forgets everything after a jump longer than the window', async () => {
    const { clock, budget } = setup();
    record(budget, 100);
    drain(budget);
    await clock.advance(1_000_000);
    expect(budget.snapshot()).toEqual({ requests: 0, retries: 0, allowed: 3 });
  });

  it('treats a clock that runs backwards, or returns garbage, as standing still', () => {
    let nowMs = 1_000_000;
    const clock: Clock = { now: () => nowMs, sleep: () => Promise.resolve(), setTimer: () => () => {} };
    const budget = new RetryBudget({ ...CONFIG, minRetriesPerWindow: 0 }, clock);
    record(budget, 10);
    nowMs = 0;
    record(budget, 10);
    nowMs = Number.NaN;
    record(budget, 10);
    expect(budget.snapshot()).toEqual({ requests: 30, retries: 0, allowed: 6 });
    nowMs = 1_000_000 + 10_000;
    expect(budget.snapshot().requests).toBe(0);
  });

  it('works with a window not divisible into whole milliseconds and sub-ms clocks', async () => {
    const { clock, budget } = setup({ windowMs: 7, minRetriesPerWindow: 0, ratio: 1 });
    await clock.advance(0.35);
    record(budget, 2);
    expect(budget.snapshot().requests).toBe(2);
    await clock.advance(7);
    expect(budget.snapshot().requests).toBe(0);
  });

  it.each([[0], [-1], [Number.NaN], [Number.POSITIVE_INFINITY]])('rejects windowMs %s', (windowMs) => {
    expect(() => setup({ windowMs })).toThrow(RangeError);
  });

  it('returns a fresh snapshot', () => {
    const { budget } = setup();
    const snap = budget.snapshot();
    snap.allowed = 1_000;
    expect(budget.snapshot().allowed).toBe(3);
  });
});

describe('RetryBudget shared by a cluster', () => {
  function shared(config: Partial<RetryBudgetConfig> = {}) {
    const clock = new ManualClock(1_000_000);
    const counter = new FakeSharedCounter();
    return { counter, budget: new RetryBudget({ ...CONFIG, ...config }, clock, counter) };
  }

  it('counts its requests and granted retries in the shared counter, refused ones not', () => {
    const { counter, budget } = shared();
    record(budget, 4);
    expect(drain(budget)).toBe(3);
    expect(Object.fromEntries(counter.added)).toEqual({
      'retry_budget:requests': 4,
      'retry_budget:retries': 3,
    });
  });

  it('the floor is the cluster’s: retries granted elsewhere use it up', () => {
    const { counter, budget } = shared();
    counter.others.set('retry_budget:retries', 2);
    expect(drain(budget)).toBe(1);
    expect(budget.snapshot()).toEqual({ requests: 0, retries: 3, allowed: 3 });
  });

  it('the ratio applies to the cluster’s requests', () => {
    const { counter, budget } = shared({ minRetriesPerWindow: 0 });
    record(budget, 10);
    counter.others.set('retry_budget:requests', 90);
    counter.others.set('retry_budget:retries', 15);
    expect(drain(budget)).toBe(5);
    expect(budget.snapshot()).toEqual({ requests: 100, retries: 20, allowed: 20 });
  });
});
