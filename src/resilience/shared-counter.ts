/**
 * Counts that several instances add up: the retry budget, rpm/tpm windows and breaker failures of a
 * cluster. An implementation batches the writes and answers `count` from a local cache refreshed in
 * the background, so neither call waits on the network.
 */
export interface SharedCounter {
  /** Adds `amount` to `key` now, counted over a sliding window of `windowMs`. */
  addCount(key: string, amount: number, windowMs: number): void;
  /** What the other instances counted for `key` over the last `windowMs` (this instance excluded). */
  count(key: string, windowMs: number): number;
  /** Forgets `key` on every instance (a breaker closed: its old failures no longer count). */
  resetCount(key: string, windowMs: number): void;
}

/** One key of a {@link SharedCounter}, with its window: what a policy holds. */
export interface SharedTally {
  /** Counts `amount` more on this instance. */
  add(amount: number): void;
  /** The other instances' total over the window. */
  others(): number;
  /** Forgets the count everywhere. */
  reset(): void;
}

/** Binds `key` and `windowMs` of `counter` into a {@link SharedTally}. */
export function sharedTally(counter: SharedCounter, key: string, windowMs: number): SharedTally {
  return {
    add: (amount) => counter.addCount(key, amount, windowMs),
    others: () => counter.count(key, windowMs),
    reset: () => counter.resetCount(key, windowMs),
  };
}
