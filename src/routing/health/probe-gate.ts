import type { Clock } from '../../common/clock.js';
import type { SharedState } from './shared-state.js';

/**
 * The cluster-wide half-open probe, as one instance sees it. A breaker that turns half-open hands
 * its probe permit to the first local caller; with shared state that caller may only go if this
 * instance also holds the cluster's claim. The claim is asked for in the background (the caller is
 * turned away meanwhile); the winner lets its local probe through, the others keep the model shut
 * until another instance's verdict arrives (`forget`) or the claim's time to live has passed.
 */
export class ProbeGate {
  readonly #shared: SharedState;
  readonly #clock: Clock;
  /** Claims this instance holds: model → when the claim lapses (ms since the epoch). */
  readonly #held = new Map<string, number>();
  readonly #pending = new Set<string>();
  /** Claims lost to another instance: model → when to ask again. */
  readonly #lostUntil = new Map<string, number>();

  constructor(shared: SharedState, clock: Clock) {
    this.#shared = shared;
    this.#clock = clock;
  }

  /**
   * May this instance's probe of `model` go out now? If it holds no claim, asks for one (held for
   * `ttlMs`) in the background, unless a claim is already pending or was lost less than `ttlMs` ago.
   */
  mayProbe(model: string, ttlMs: number): boolean {
    const nowMs = this.#clock.now();
    const heldUntil = this.#held.get(model);
    if (heldUntil !== undefined) {
      if (heldUntil > nowMs) return true;
      this.#held.delete(model);
    }
    if (this.#pending.has(model)) return false;
    const lostUntil = this.#lostUntil.get(model);
    if (lostUntil !== undefined && lostUntil > nowMs) return false;
    this.#lostUntil.delete(model);
    this.#pending.add(model);
    const settle = (won: boolean) => {
      this.#pending.delete(model);
      (won ? this.#held : this.#lostUntil).set(model, this.#clock.now() + ttlMs);
    };
    // A shared state that breaks its promise never to reject still must not shut the model for good.
    this.#shared.claimProbe(model, ttlMs).then(settle, () => settle(true));
    return false;
  }

  /** The breaker of `model` left half-open: a claim this instance held is handed back. */
  settle(model: string): void {
    this.#lostUntil.delete(model);
    if (this.#held.delete(model)) this.#shared.releaseProbe(model);
  }

  /** Another instance changed the breaker of `model`: a lost claim no longer stands. */
  forget(model: string): void {
    this.#lostUntil.delete(model);
  }
}
