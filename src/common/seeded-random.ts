import type { Random } from './clock.js';

/**
 * mulberry32: a tiny, fast, seedable PRNG with a 2^32 period. Not cryptographic; used so that
 * `flaky:P` produces the same failure sequence for the same seed, run after run.
 */
export function mulberry32(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A seeded source of uniform numbers in [0, 1). Same seed, same sequence. */
export function seededRandom(seed: number): Random {
  return mulberry32(Number.isFinite(seed) ? Math.trunc(seed) : 1);
}
