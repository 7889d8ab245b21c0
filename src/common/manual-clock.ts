import type { AbortSignalLike } from './abort-signal-like.js';
import type { Clock } from './clock.js';

interface Sleeper {
  dueMs: number;
  /** Tie-breaker: sleepers due at the same instant fire in the order they were created. */
  seq: number;
  resolve: () => void;
}

/** Lets pending promise callbacks (and the ones they schedule) run. */
function flush(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * A clock that only moves when told to, for deterministic tests of time-dependent code.
 * `sleep()` calls resolve when `advance()` carries time past their due time.
 */
export class ManualClock implements Clock {
  #nowMs: number;
  #seq = 0;
  readonly #sleepers = new Set<Sleeper>();

  /** @param startMs initial value of `now()`, milliseconds since the epoch. */
  constructor(startMs = 0) {
    this.#nowMs = startMs;
  }

  /** Current time in milliseconds. */
  now(): number {
    return this.#nowMs;
  }

  /**
   * Resolves once `advance()` reaches `now() + ms`; a zero or negative `ms` resolves at once.
   * Rejects with `signal.reason` (and forgets the sleeper) when the signal aborts first.
   */
  sleep(ms: number, signal?: AbortSignalLike): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (!(ms > 0)) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        this.#sleepers.delete(sleeper);
        reject(signal?.reason);
      };
      const sleeper: Sleeper = {
        dueMs: this.#nowMs + ms,
        seq: this.#seq++,
        resolve: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      this.#sleepers.add(sleeper);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Calls `callback` once `advance()` reaches `now() + ms`; the returned function cancels it. */
  setTimer(ms: number, callback: () => void): () => void {
    const controller = new AbortController();
    this.sleep(ms, controller.signal).then(callback, () => {});
    return () => controller.abort();
  }

  /**
   * Moves time forward by `ms`, firing due sleepers one at a time in due-time order. Before each
   * one fires, `now()` is set to its due time; after each, pending callbacks get to run, so a
   * sleep started by a woken task fires in the same `advance()` when it falls inside the span.
   */
  async advance(ms: number): Promise<void> {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`advance(ms) needs a finite ms >= 0, got ${ms}`);
    const targetMs = this.#nowMs + ms;
    // Let work already queued register its sleeps before time moves.
    await flush();
    for (;;) {
      const next = this.#earliest();
      if (next === undefined || next.dueMs > targetMs) break;
      this.#sleepers.delete(next);
      this.#nowMs = Math.max(this.#nowMs, next.dueMs);
      next.resolve();
      await flush();
    }
    this.#nowMs = Math.max(this.#nowMs, targetMs);
    await flush();
  }

  /** Number of sleeps not yet fired nor aborted. */
  pendingSleeps(): number {
    return this.#sleepers.size;
  }

  #earliest(): Sleeper | undefined {
    let best: Sleeper | undefined;
    for (const s of this.#sleepers) {
      if (best === undefined || s.dueMs < best.dueMs || (s.dueMs === best.dueMs && s.seq < best.seq))
        best = s;
    }
    return best;
  }
}
