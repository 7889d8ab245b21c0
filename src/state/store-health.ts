import type { Clock } from '../common/clock.js';

/** A change in whether the shared state store can be reached, reported once per change. */
export type StoreHealthChange =
  | { type: 'degraded'; store: 'redis' | 'cluster'; reason: string }
  | { type: 'recovered'; store: 'redis' | 'cluster'; degradedForMs: number };

/**
 * Whether the store is reachable, and since when it has not been. `down` and `up` may be called as
 * often as failures and successes happen; the listener hears only the changes, so a Redis outage is
 * logged once, not once per request or reconnection attempt.
 */
export class StoreHealth {
  readonly #store: 'redis' | 'cluster';
  readonly #clock: Clock;
  readonly #onChange: ((change: StoreHealthChange) => void) | undefined;
  #connected = false;
  #degradedSinceMs: number | undefined;

  constructor(store: 'redis' | 'cluster', clock: Clock, onChange?: (change: StoreHealthChange) => void) {
    this.#store = store;
    this.#clock = clock;
    this.#onChange = onChange;
  }

  get connected(): boolean {
    return this.#connected;
  }

  /** Since when the store has been unreachable, ms since the epoch; undefined while it is reachable. */
  get degradedSinceMs(): number | undefined {
    return this.#degradedSinceMs;
  }

  /** The store failed (or is still failing). Returns true on the change from reachable. */
  down(reason: string): boolean {
    this.#connected = false;
    if (this.#degradedSinceMs !== undefined) return false;
    this.#degradedSinceMs = this.#clock.now();
    this.#report({ type: 'degraded', store: this.#store, reason });
    return true;
  }

  /** The store answered. Returns true when it had been unreachable. */
  up(): boolean {
    this.#connected = true;
    const since = this.#degradedSinceMs;
    if (since === undefined) return false;
    this.#degradedSinceMs = undefined;
    this.#report({
      type: 'recovered',
      store: this.#store,
      degradedForMs: Math.max(0, this.#clock.now() - since),
    });
    return true;
  }

  #report(change: StoreHealthChange): void {
    try {
      this.#onChange?.(change);
    } catch {
      // A broken listener must not break the state store.
    }
  }
}
