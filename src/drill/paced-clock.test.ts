import { describe, expect, it } from 'vitest';
import { PacedClock } from './paced-clock.js';

describe('PacedClock', () => {
  it('moves speedup times faster than real time, and fires timers in due order', async () => {
    let realMs = 0;
    const clock = new PacedClock({ speedup: 10, maxStepMs: 1_000, realNow: () => realMs, startMs: 0 });
    const fired: string[] = [];
    clock.setTimer(300, () => fired.push(`a@${clock.now()}`));
    const slept = clock.sleep(150).then(() => fired.push(`b@${clock.now()}`));
    realMs = 10;
    await clock.tick();
    expect(fired).toEqual([]);
    expect(clock.now()).toBe(100);
    realMs = 40;
    await clock.tick();
    await slept;
    expect(fired).toEqual(['b@150', 'a@300']);
    expect(clock.elapsedMs()).toBe(400);
  });

  it('adds at most maxStepMs per tick: a starved process slows simulated time instead of leaping it', async () => {
    let realMs = 0;
    const clock = new PacedClock({ speedup: 10, maxStepMs: 50, realNow: () => realMs, startMs: 0 });
    let timedOut = false;
    clock.setTimer(400, () => {
      timedOut = true;
    });
    realMs = 10_000; // the process did not run for 10 real seconds
    await clock.tick();
    expect(clock.now()).toBe(50);
    expect(timedOut).toBe(false);
  });

  it('ticks on its own once started, until stopped', async () => {
    const clock = new PacedClock({ speedup: 100 });
    clock.start();
    try {
      await clock.sleep(500); // 5 real ms at 100×; bounded by the test timeout
      expect(clock.elapsedMs()).toBeGreaterThanOrEqual(500);
    } finally {
      clock.stop();
    }
  });

  it.each([0, 0.5, Number.NaN, Number.POSITIVE_INFINITY])('refuses the speedup %s', (speedup) => {
    expect(() => new PacedClock({ speedup })).toThrow(RangeError);
  });
});
