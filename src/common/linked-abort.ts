import type { AbortSignalLike } from './abort-signal-like.js';
import type { Clock } from './clock.js';

export type { AbortSignalLike };

/**
 * A cancellation scope that follows a parent signal and can carry one re-armable timer on an
 * injected clock: a request's deadline, an attempt's timeouts. It is itself an AbortSignalLike
 * (undici accepts it as a request's `signal`). `dispose()` detaches it from its parent and stops the
 * timer, so long-lived parents do not leak; `abort()` still works after that.
 */
export class LinkedAbort implements AbortSignalLike {
  #aborted = false;
  #reason: unknown;
  #listeners: Array<() => void> | undefined;
  readonly #parent: AbortSignalLike | undefined;
  readonly #clock: Clock;
  #cancelTimer: (() => void) | undefined;
  readonly #onParentAbort = () => this.abort(this.#parent?.reason);

  constructor(clock: Clock, parent?: AbortSignalLike) {
    this.#clock = clock;
    this.#parent = parent;
    if (parent?.aborted) this.abort(parent.reason);
    else parent?.addEventListener('abort', this.#onParentAbort, { once: true });
  }

  get aborted(): boolean {
    return this.#aborted;
  }

  get reason(): unknown {
    return this.#reason;
  }

  /** This scope, as the signal to hand to whatever should stop when it aborts. */
  get signal(): AbortSignalLike {
    return this;
  }

  addEventListener(type: 'abort', listener: () => void): void {
    if (type !== 'abort' || this.#aborted) return;
    this.#listeners ??= [];
    this.#listeners.push(listener);
  }

  removeEventListener(type: 'abort', listener: () => void): void {
    if (type !== 'abort' || !this.#listeners) return;
    const i = this.#listeners.indexOf(listener);
    if (i !== -1) this.#listeners.splice(i, 1);
  }

  /**
   * Aborts with `reason()` after `ms`, replacing any timer armed before. The reason is built only if
   * the timer fires: an Error's stack costs microseconds, and most timers never fire.
   */
  arm(ms: number, reason: () => unknown): void {
    this.disarm();
    if (this.#aborted) return;
    this.#cancelTimer = this.#clock.setTimer(Math.max(0, ms), () => {
      this.#cancelTimer = undefined;
      this.abort(reason());
    });
  }

  disarm(): void {
    this.#cancelTimer?.();
    this.#cancelTimer = undefined;
  }

  /** Aborts once; listeners run in the order they were added, and one that throws does not stop the rest. */
  abort(reason: unknown): void {
    if (this.#aborted) return;
    this.disarm();
    this.#aborted = true;
    this.#reason = reason;
    const listeners = this.#listeners;
    this.#listeners = undefined;
    if (!listeners) return;
    for (const listener of listeners) {
      try {
        listener();
      } catch {
        // a listener's failure is its own
      }
    }
  }

  dispose(): void {
    this.disarm();
    this.#parent?.removeEventListener('abort', this.#onParentAbort);
  }
}
