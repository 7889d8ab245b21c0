import { describe, expect, it } from 'vitest';
import { ManualClock } from '../common/manual-clock.js';
import { supersedes } from './breaker-record.js';
import { StateTable } from './state-table.js';

const open = (atMs: number, reopenAtMs: number) =>
  ({ state: 'open', atMs, cooldownMs: 1_000, reopenAtMs }) as const;
const closed = (atMs: number) => ({ state: 'closed', atMs, cooldownMs: 1_000 }) as const;

describe('supersedes (the rule of every store)', () => {
  it.each([
    ['anything over nothing', undefined, open(5, 10), true],
    ['a later reopen deadline over an open', open(5, 10), open(6, 11), true],
    ['not an earlier or equal deadline', open(5, 10), open(6, 10), false],
    ['an open made after a close', closed(5), open(5, 10), true],
    ['not an open older than a close', closed(6), open(5, 10), false],
    ['a close made after an open', open(5, 10), closed(5), true],
    ['not a close older than an open', open(6, 10), closed(5), false],
    ['a newer close over a close', closed(5), closed(6), true],
    ['not the same close again', closed(5), closed(5), false],
  ])('%s', (_name, current, change, expected) => {
    expect(supersedes(current, change)).toBe(expected);
  });
});

describe('StateTable', () => {
  it('keeps the superseding breaker change and returns the stored one otherwise', () => {
    const table = new StateTable(new ManualClock(0));
    expect(table.writeBreaker('a', open(5, 10), 'i1')).toBeUndefined();
    expect(table.writeBreaker('a', open(6, 9), 'i2')).toEqual({ ...open(5, 10), from: 'i1' });
    expect(table.writeBreaker('a', closed(7), 'i2')).toBeUndefined();
    expect(table.snapshot()).toEqual([{ type: 'breaker', model: 'a', change: closed(7), instanceId: 'i2' }]);
  });

  it('cooldowns: the later deadline wins; expired ones are forgotten', async () => {
    const clock = new ManualClock(0);
    const table = new StateTable(clock);
    expect(table.writeCooldown('a', 1_000)).toBeUndefined();
    expect(table.writeCooldown('a', 500)).toBe(1_000);
    expect(table.writeCooldown('a', 2_000)).toBeUndefined();
    await clock.advance(2_000);
    expect(table.snapshot()).toEqual([]);
    expect(table.writeCooldown('a', 2_500)).toBeUndefined();
  });

  it('grants one probe claim per model until released, lapsed or its holder is gone', async () => {
    const clock = new ManualClock(0);
    const table = new StateTable(clock);
    expect(table.claimProbe('a', 'i1', 1_000)).toBe(true);
    expect(table.claimProbe('a', 'i2', 1_000)).toBe(false);
    expect(table.claimProbe('a', 'i1', 1_000)).toBe(true);
    expect(table.claimProbe('b', 'i2', 1_000)).toBe(true);
    table.releaseProbe('a', 'i2');
    expect(table.claimProbe('a', 'i2', 1_000)).toBe(false);
    table.releaseProbe('a', 'i1');
    expect(table.claimProbe('a', 'i2', 1_000)).toBe(true);
    await clock.advance(1_000);
    expect(table.claimProbe('a', 'i1', 1_000)).toBe(true);
    table.forgetHolder('i1');
    expect(table.claimProbe('a', 'i2', 1_000)).toBe(true);
  });

  it('sums every other instance over the window; old buckets and resets are forgotten', async () => {
    const clock = new ManualClock(10_000);
    const table = new StateTable(clock);
    const add = (holder: string, amount: number) =>
      table.addCounts(holder, [
        { key: 'k', bucketMs: 100, bucket: Math.floor(clock.now() / 100), amount, ttlMs: 1_200 },
      ]);
    add('i1', 3);
    add('i2', 4);
    expect(table.counts('i1', [{ key: 'k', windowMs: 1_000 }])).toEqual([['k', 4]]);
    expect(
      table.counts('i3', [
        { key: 'k', windowMs: 1_000 },
        { key: 'other', windowMs: 1_000 },
      ]),
    ).toEqual([
      ['k', 7],
      ['other', 0],
    ]);
    await clock.advance(1_000);
    expect(table.counts('i3', [{ key: 'k', windowMs: 1_000 }])).toEqual([['k', 0]]);
    add('i2', 5);
    table.resetCount('k');
    expect(table.counts('i1', [{ key: 'k', windowMs: 1_000 }])).toEqual([['k', 0]]);
  });
});
