import { describe, expect, it } from 'vitest';
import { ManualClock } from './manual-clock.js';

describe('ManualClock', () => {
  it('starts at the given time and only moves on advance', async () => {
    const clock = new ManualClock(1_000);
    expect(clock.now()).toBe(1_000);
    await clock.advance(250);
    expect(clock.now()).toBe(1_250);
    expect(new ManualClock().now()).toBe(0);
  });

  it('resolves a sleep only when its due time is reached', async () => {
    const clock = new ManualClock();
    let done = false;
    void clock.sleep(100).then(() => {
      done = true;
    });
    expect(clock.pendingSleeps()).toBe(1);
    await clock.advance(99);
    expect(done).toBe(false);
    await clock.advance(1);
    expect(done).toBe(true);
    expect(clock.pendingSleeps()).toBe(0);
  });

  it('fires sleepers in due-time order, with now() at each due time', async () => {
    const clock = new ManualClock();
    const fired: Array<[string, number]> = [];
    const track = (name: string, ms: number) =>
      void clock.sleep(ms).then(() => fired.push([name, clock.now()]));
    track('c', 300);
    track('a', 100);
    track('b', 200);
    track('a2', 100);
    await clock.advance(1_000);
    expect(fired).toEqual([
      ['a', 100],
      ['a2', 100],
      ['b', 200],
      ['c', 300],
    ]);
    expect(clock.now()).toBe(1_000);
  });

  it('runs chained awaits between sleepers, so follow-up sleeps inside the span fire too', async () => {
    const clock = new ManualClock();
    const log: number[] = [];
    const task = (async () => {
      for (let i = 0; i < 3; i++) {
        await clock.sleep(100);
        log.push(clock.now());
      }
    })();
    await clock.advance(250);
    expect(log).toEqual([100, 200]);
    await clock.advance(50);
    await task;
    expect(log).toEqual([100, 200, 300]);
  });

  it('resolves zero, negative and NaN sleeps immediately', async () => {
    const clock = new ManualClock();
    await clock.sleep(0);
    await clock.sleep(-5);
    await clock.sleep(Number.NaN);
    expect(clock.pendingSleeps()).toBe(0);
  });

  it('rejects with the signal reason on abort and forgets the sleeper', async () => {
    const clock = new ManualClock();
    const controller = new AbortController();
    const p = clock.sleep(100, controller.signal);
    expect(clock.pendingSleeps()).toBe(1);
    const reason = new Error('stop');
    controller.abort(reason);
    await expect(p).rejects.toBe(reason);
    expect(clock.pendingSleeps()).toBe(0);
    await clock.advance(200);
  });

  it('rejects at once when the signal is already aborted', async () => {
    const clock = new ManualClock();
    const controller = new AbortController();
    controller.abort('gone');
    await expect(clock.sleep(100, controller.signal)).rejects.toBe('gone');
    expect(clock.pendingSleeps()).toBe(0);
  });

  it('does not reject after firing when the signal aborts later', async () => {
    const clock = new ManualClock();
    const controller = new AbortController();
    const p = clock.sleep(10, controller.signal);
    await clock.advance(10);
    controller.abort();
    await expect(p).resolves.toBeUndefined();
  });

  it.each([[-1], [Number.NaN], [Number.POSITIVE_INFINITY]])('refuses advance(%s)', async (ms) => {
    const clock = new ManualClock();
    await expect(clock.advance(ms)).rejects.toThrow(RangeError);
    expect(clock.now()).toBe(0);
  });
});
