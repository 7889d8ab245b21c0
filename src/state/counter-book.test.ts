import { describe, expect, it } from 'vitest';
import { ManualClock } from '../common/manual-clock.js';
import { bucketMsOf, CounterBook, windowBuckets } from './counter-book.js';

describe('CounterBook', () => {
  it('sums what is added per key and bucket until drained', async () => {
    const clock = new ManualClock(1_000);
    const book = new CounterBook(clock);
    book.add('k', 1, 1_000);
    book.add('k', 2, 1_000);
    await clock.advance(100);
    book.add('k', 1, 1_000);
    book.add('j', 0, 1_000);
    book.add('j', Number.NaN, 1_000);
    expect(book.drain()).toEqual([
      { key: 'k', bucketMs: 100, bucket: 10, amount: 3, ttlMs: 1_200 },
      { key: 'k', bucketMs: 100, bucket: 11, amount: 1, ttlMs: 1_200 },
    ]);
    expect(book.drain()).toEqual([]);
    expect(book.wanted()).toEqual([
      { key: 'k', windowMs: 1_000 },
      { key: 'j', windowMs: 1_000 },
    ]);
  });

  it('answers counts from what was read; reset and clear forget', () => {
    const book = new CounterBook(new ManualClock(0));
    expect(book.count('k', 1_000)).toBe(0);
    book.setOthers('k', 5);
    expect(book.count('k', 1_000)).toBe(5);
    book.add('k', 1, 1_000);
    book.reset('k');
    expect([book.count('k', 1_000), book.drain()]).toEqual([0, []]);
    book.setOthers('k', 5);
    book.clearOthers();
    expect(book.count('k', 1_000)).toBe(0);
  });

  it('cuts a window into 10 whole-ms buckets', () => {
    expect([bucketMsOf(10_000), bucketMsOf(60_000), bucketMsOf(7), bucketMsOf(1)]).toEqual([
      1_000, 6_000, 1, 1,
    ]);
    expect(windowBuckets(1_000, 5_050)).toEqual([41, 42, 43, 44, 45, 46, 47, 48, 49, 50]);
  });
});
