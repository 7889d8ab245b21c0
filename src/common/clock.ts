import type { AbortSignalLike } from './abort-signal-like.js';

/** Time as a parameter: the engine and the resilience policies never read the system clock directly. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Resolves after `ms`, or rejects with the signal's reason when it aborts first. */
  sleep(ms: number, signal?: AbortSignalLike): Promise<void>;
  /** Calls `callback` after `ms`; returns a function that cancels it. Cheaper than `sleep` on hot paths. */
  setTimer(ms: number, callback: () => void): () => void;
}

/** A source of uniform random numbers in [0, 1). */
export type Random = () => number;

/** The system clock, with sub-millisecond resolution (durations of local work are fractions of a ms). */
export const systemClock: Clock = {
  now: () => performance.timeOrigin + performance.now(),
  sleep: (ms, signal) => abortableSleep(ms, signal),
  setTimer: (ms, callback) => {
    const timer = setTimeout(callback, Math.max(0, ms));
    return () => clearTimeout(timer);
  },
};

export const systemRandom: Random = Math.random;

/** A sleep that removes its abort listener when it settles. */
export function abortableSleep(ms: number, signal?: AbortSignalLike): Promise<void> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Rounds a duration to 0.01 ms: precise enough for overhead, short enough to read. */
export function roundMs(ms: number): number {
  return Math.round(ms * 100) / 100;
}
