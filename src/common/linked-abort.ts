import type { Clock } from './clock.js';

/**
 * An AbortController that follows a parent signal and can carry one re-armable timer on an injected
 * clock. Used for a request's deadline and for each attempt's timeouts. `dispose()` removes every
 * listener and timer, so long-lived parents do not leak.
 */
export class LinkedAbort {
  readonly #controller = new AbortController();
  readonly #parent: AbortSignal | undefined;
  readonly #clock: Clock;
  #cancelTimer: (() => void) | undefined;
  readonly #onParentAbort = () => this.abort(this.#parent?.reason);

  constructor(clock: Clock, parent?: AbortSignal) {
    this.#clock = clock;
    this.#parent = parent;
    if (parent?.aborted) this.#controller.abort(parent.reason);
    else parent?.addEventListener('abort', this.#onParentAbort, { once: true });
  }

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** Aborts with `reason` after `ms`, replacing any timer armed before. */
  arm(ms: number, reason: unknown): void {
    this.disarm();
    if (this.#controller.signal.aborted) return;
    this.#cancelTimer = this.#clock.setTimer(Math.max(0, ms), () => {
      this.#cancelTimer = undefined;
      this.abort(reason);
    });
  }

  disarm(): void {
    this.#cancelTimer?.();
    this.#cancelTimer = undefined;
  }

  abort(reason: unknown): void {
    this.disarm();
    this.#controller.abort(reason);
  }

  dispose(): void {
    this.disarm();
    this.#parent?.removeEventListener('abort', this.#onParentAbort);
  }
}
