import { describe, expect, it } from 'vitest';
import { ManualClock } from '../common/manual-clock.js';
import { Cooldowns } from './cooldowns.js';

function setup() {
  const clock = new ManualClock(10_000);
  return { clock, cooldowns: new Cooldowns(clock) };
}

describe('Cooldowns', () => {
  it('knows nothing of unseen keys', () => {
    const { cooldowns } = setup();
    expect(cooldowns.until('gpt-4o')).toBeUndefined();
    expect(cooldowns.isCoolingDown('gpt-4o')).toBe(false);
    expect(cooldowns.snapshot()).toEqual({});
  });

  it('cools a key down until the deadline, then forgets it', async () => {
    const { clock, cooldowns } = setup();
    expect(cooldowns.coolDown('gpt-4o', 15_000)).toBe(true);
    expect(cooldowns.until('gpt-4o')).toBe(15_000);
    expect(cooldowns.isCoolingDown('gpt-4o')).toBe(true);
    expect(cooldowns.isCoolingDown('claude')).toBe(false);
    await clock.advance(4_999);
    expect(cooldowns.isCoolingDown('gpt-4o')).toBe(true);
    await clock.advance(1);
    expect(cooldowns.until('gpt-4o')).toBeUndefined();
    expect(cooldowns.isCoolingDown('gpt-4o')).toBe(false);
  });

  it.each<[string, number, number, boolean, number]>([
    // name, first deadline, second deadline, second moved?, resulting deadline
    ['later deadline wins', 15_000, 20_000, true, 20_000],
    ['earlier deadline is ignored', 20_000, 15_000, false, 20_000],
    ['same deadline does not move', 15_000, 15_000, false, 15_000],
    ['past deadline is ignored', 15_000, 5_000, false, 15_000],
    ['deadline equal to now is ignored', 15_000, 10_000, false, 15_000],
    ['NaN is ignored', 15_000, Number.NaN, false, 15_000],
    ['Infinity is ignored', 15_000, Number.POSITIVE_INFINITY, false, 15_000],
  ])('%s', (_name, first, second, moved, result) => {
    const { cooldowns } = setup();
    expect(cooldowns.coolDown('m', first)).toBe(true);
    expect(cooldowns.coolDown('m', second)).toBe(moved);
    expect(cooldowns.until('m')).toBe(result);
  });

  it.each([[5_000], [10_000], [Number.NaN], [Number.NEGATIVE_INFINITY]])(
    'does not start a cooldown for a deadline of %s',
    (untilMs) => {
      const { cooldowns } = setup();
      expect(cooldowns.coolDown('m', untilMs)).toBe(false);
      expect(cooldowns.isCoolingDown('m')).toBe(false);
      expect(cooldowns.snapshot()).toEqual({});
    },
  );

  it('lets a new deadline replace an expired one, even if earlier than the old', async () => {
    const { clock, cooldowns } = setup();
    cooldowns.coolDown('m', 12_000);
    await clock.advance(5_000);
    expect(cooldowns.coolDown('m', 16_000)).toBe(true);
    expect(cooldowns.until('m')).toBe(16_000);
  });

  it('keeps keys apart, including odd ones', () => {
    const { cooldowns } = setup();
    cooldowns.coolDown('', 11_000);
    cooldowns.coolDown('__proto__', 12_000);
    cooldowns.coolDown('a/b:c', 13_000);
    expect(cooldowns.until('')).toBe(11_000);
    expect(cooldowns.until('__proto__')).toBe(12_000);
    expect(cooldowns.until('a/b:c')).toBe(13_000);
    expect(cooldowns.until('constructor')).toBeUndefined();
    const snap = cooldowns.snapshot();
    expect(Object.keys(snap).sort()).toEqual(['', '__proto__', 'a/b:c']);
    expect(Object.getOwnPropertyDescriptor(snap, '__proto__')?.value).toBe(12_000);
  });

  it('snapshots only active deadlines, as a fresh copy', async () => {
    const { clock, cooldowns } = setup();
    cooldowns.coolDown('a', 11_000);
    cooldowns.coolDown('b', 20_000);
    expect(cooldowns.snapshot()).toEqual({ a: 11_000, b: 20_000 });
    await clock.advance(1_000);
    const snap = cooldowns.snapshot();
    expect(snap).toEqual({ b: 20_000 });
    snap.b = 0;
    expect(cooldowns.until('b')).toBe(20_000);
  });
});
