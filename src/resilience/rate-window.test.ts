import { describe, expect, it } from 'vitest';
import type { Clock } from '../common/clock.js';
import { ManualClock } from '../common/manual-clock.js';
import { RateWindow } from './rate-window.js';
import type { SharedTally } from './shared-counter.js';

/** Starts on a second boundary: second 1000 since the epoch. */
const START_MS = 1_000_000;

function setup(limit: number) {
  const clock = new ManualClock(START_MS);
  return { clock, window: new RateWindow(limit, clock) };
}

describe('RateWindow', () => {
  it('starts empty', () => {
    const { window } = setup(3);
    expect(window.remaining()).toBe(3);
    expect(window.used()).toBe(0);
    expect(window.wouldExceed()).toBe(false);
    expect(window.resetAtMs()).toBeUndefined();
  });

  it('counts requests up to the limit (rpm)', () => {
    const { window } = setup(3);
    for (let i = 0; i < 3; i++) {
      expect(window.wouldExceed()).toBe(false);
      window.add();
    }
    expect(window.wouldExceed()).toBe(true);
    expect(window.remaining()).toBe(0);
    expect(window.resetAtMs()).toBe(START_MS + 60_000);
  });

  it.each<[string, number, number, number, boolean]>([
    // name, limit, already added, amount asked, would exceed?
    ['fits exactly', 1_000, 600, 400, false],
    ['one over', 1_000, 600, 401, true],
    ['larger than the whole limit', 1_000, 0, 1_001, true],
    ['zero amount, under the limit', 10, 10, 0, false],
    ['NaN amount counts as 0', 10, 10, Number.NaN, false],
    ['negative amount counts as 0', 10, 10, -5, false],
    ['Infinity counts as 0', 10, 5, Number.POSITIVE_INFINITY, false],
    ['fractional amount', 10, 9.5, 0.5, false],
  ])('wouldExceed: %s', (_name, limit, added, amount, exceeds) => {
    const { window } = setup(limit);
    window.add(added);
    expect(window.wouldExceed(amount)).toBe(exceeds);
  });

  it('lets actual usage overshoot the limit, and reports it with wouldExceed(0)', () => {
    const { window } = setup(1_000);
    window.add(900);
    window.add(500); // the estimate fit, the real tokens did not
    expect(window.used()).toBe(1_400);
    expect(window.remaining()).toBe(0);
    expect(window.wouldExceed(0)).toBe(true);
  });

  it.each([[Number.NaN], [-3], [0], [Number.POSITIVE_INFINITY], [Number.NEGATIVE_INFINITY]])(
    'ignores add(%s)',
    (amount) => {
      const { window } = setup(10);
      window.add(2);
      window.add(amount);
      expect(window.used()).toBe(2);
    },
  );

  it('slides: usage ages out 60 s after the second it was added in', async () => {
    const { clock, window } = setup(10);
    window.add(4); // second 1000
    await clock.advance(30_500);
    window.add(6); // second 1030
    expect(window.remaining()).toBe(0);
    expect(window.resetAtMs()).toBe(START_MS + 60_000);
    await clock.advance(29_499); // 1_059_999: second 1059, still in the window
    expect(window.wouldExceed()).toBe(true);
    await clock.advance(1); // second 1060: the first 4 leave
    expect(window.remaining()).toBe(4);
    expect(window.resetAtMs()).toBeUndefined();
    await clock.advance(30_000); // second 1090: the 6 leave
    expect(window.remaining()).toBe(10);
  });

  it('finds the reset time across several buckets, for tokens', async () => {
    const { clock, window } = setup(1_000);
    window.add(300); // second 1000
    await clock.advance(10_000);
    window.add(300); // second 1010
    await clock.advance(10_000);
    window.add(500); // second 1020: 1_100 used, 101 must leave for 1 more unit: second 1000 suffices
    expect(window.resetAtMs()).toBe(START_MS + 60_000);
    window.add(300); // 1_400 used: 401 must leave, i.e. seconds 1000 and 1010
    expect(window.resetAtMs()).toBe(START_MS + 70_000);
    window.add(1_000); // 2_400 used: everything up to the current second must leave
    expect(window.resetAtMs()).toBe(START_MS + 80_000);
  });

  it('forgets everything after a jump longer than the window', async () => {
    const { clock, window } = setup(5);
    window.add(5);
    await clock.advance(3_600_000);
    expect(window.used()).toBe(0);
    expect(window.remaining()).toBe(5);
  });

  it('leaves no rounding dust behind fractional amounts', async () => {
    const { clock, window } = setup(1);
    window.add(0.1);
    window.add(0.2);
    await clock.advance(1_000);
    window.add(0.3);
    await clock.advance(59_000); // second 1000 leaves
    expect(window.used()).toBeCloseTo(0.3, 12);
    await clock.advance(1_000); // second 1001 leaves
    expect(window.used()).toBe(0);
    expect(window.remaining()).toBe(1);
  });

  it('treats a clock that runs backwards, or returns garbage, as standing still', () => {
    let nowMs = START_MS;
    const clock: Clock = { now: () => nowMs, sleep: () => Promise.resolve(), setTimer: () => () => {} };
    const window = new RateWindow(10, clock);
    window.add(3);
    nowMs = 0;
    window.add(3);
    nowMs = Number.NaN;
    window.add(3);
    expect(window.used()).toBe(9);
    expect(window.wouldExceed(2)).toBe(true);
    nowMs = START_MS + 60_000;
    expect(window.used()).toBe(0);
  });

  it.each([[0], [0.5], [-1], [Number.NaN], [Number.POSITIVE_INFINITY]])('rejects a limit of %s', (limit) => {
    expect(() => setup(limit)).toThrow(RangeError);
  });
});

describe('RateWindow shared by a cluster', () => {
  function shared(limit: number, others: number) {
    const state = { others, added: 0 };
    const tally: SharedTally = {
      add: (n) => {
        state.added += n;
      },
      others: () => state.others,
      reset: () => {},
    };
    const clock = new ManualClock(START_MS);
    return { clock, state, window: new RateWindow(limit, clock, tally) };
  }

  it('adds the other instances’ usage to its own', () => {
    const { window, state } = shared(10, 7);
    expect(window.used()).toBe(7);
    expect(window.remaining()).toBe(3);
    window.add(2);
    expect(state.added).toBe(2);
    expect(window.wouldExceed(1)).toBe(false);
    expect(window.wouldExceed(2)).toBe(true);
  });

  it('when usage elsewhere fills the window, looks again next second', async () => {
    const { window, clock } = shared(5, 5);
    await clock.advance(250);
    expect(window.wouldExceed()).toBe(true);
    expect(window.resetAtMs()).toBe(START_MS + 1_000);
  });

  it('when its own usage is what must age out, says when it does', async () => {
    const { window } = shared(5, 2);
    window.add(3);
    expect(window.resetAtMs()).toBe(START_MS + 60_000);
  });
});
