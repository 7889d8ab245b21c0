import type { Clock } from '../common/clock.js';
import type { CircuitBreakerPolicy } from '../config/types.js';

/** The state a breaker reports. */
export type BreakerState = 'closed' | 'open' | 'half_open';

/** One change of state, handed to the `onTransition` listener. */
export interface BreakerTransition {
  from: BreakerState;
  to: BreakerState;
  /** When the change was made or, for open → half_open, first noticed; ms since the epoch. */
  atMs: number;
  /** The cooldown in effect after the change, ms. */
  cooldownMs: number;
  reason: string;
}

/** What `tryAcquire` hands out: a normal attempt, or the single probe of a half-open breaker. */
export type Permit = 'normal' | 'probe';

/** Point-in-time view of a breaker, for metrics and status pages. */
export interface BreakerSnapshot {
  state: BreakerState;
  /** Failures counted inside the window (always 0 unless closed). */
  failuresInWindow: number;
  /** Cooldown in ms: the current one when open or half-open, the next one when closed. */
  cooldownMs: number;
  /** When an open breaker admits a probe, ms since the epoch; only present when open. */
  reopenAtMs?: number;
}

type Internal =
  | { kind: 'closed'; failures: number[] /* timestamps within window, oldest first */ }
  | { kind: 'open'; openedAtMs: number; reopenAtMs: number; cooldownMs: number }
  | { kind: 'half_open'; cooldownMs: number; probeInFlight: boolean };

/**
 * A per-model circuit breaker.
 *
 * - closed: every caller gets a `'normal'` permit. Failures are timestamped; when
 *   `failureThreshold` of them fall inside the last `windowMs` (a failure exactly `windowMs` old no
 *   longer counts), the breaker opens for `cooldownMs`. Successes do not reset the count: failures
 *   simply age out of the window, so a flapping model still trips.
 * - open: no permits until the cooldown ends. The switch to half_open is lazy, made by the first
 *   `state` / `tryAcquire` / `readyAtMs` / `snapshot` call that notices the cooldown has passed.
 * - half_open: exactly one caller gets a `'probe'` permit. Its success closes the breaker and resets
 *   the cooldown; its failure reopens it with the cooldown doubled (capped at `maxCooldownMs`); its
 *   `release` (no verdict) lets the next caller probe.
 *
 * Verdicts on `'normal'` permits that arrive once the breaker has left closed (requests admitted
 * before it opened) are ignored, as are probe verdicts when no probe is out. Every probe must end
 * in exactly one of `success`, `failure` or `release`, or the breaker stays half-open and shut.
 */
export class CircuitBreaker {
  readonly #policy: CircuitBreakerPolicy;
  readonly #clock: Clock;
  readonly #onTransition: ((t: BreakerTransition) => void) | undefined;
  #state: Internal = { kind: 'closed', failures: [] };

  /**
   * @param policy thresholds and cooldowns (ms); a `maxCooldownMs` below `cooldownMs` disables doubling.
   * @param clock time source.
   * @param onTransition called after each state change; exceptions it throws are swallowed.
   */
  constructor(policy: CircuitBreakerPolicy, clock: Clock, onTransition?: (t: BreakerTransition) => void) {
    this.#policy = policy;
    this.#clock = clock;
    this.#onTransition = onTransition;
  }

  /** Current state; an open breaker whose cooldown has passed reports (and becomes) `'half_open'`. */
  get state(): BreakerState {
    return this.#refresh().kind;
  }

  /**
   * Asks to make an attempt. Closed: `'normal'`. Open: undefined. Half-open: `'probe'` for the
   * first caller, undefined for everyone else until that probe settles.
   */
  tryAcquire(): Permit | undefined {
    const s = this.#refresh();
    switch (s.kind) {
      case 'closed':
        return 'normal';
      case 'open':
        return undefined;
      case 'half_open':
        if (s.probeInFlight) return undefined;
        s.probeInFlight = true;
        return 'probe';
    }
  }

  /** The attempt succeeded. A probe success closes the breaker; a normal one changes nothing. */
  success(permit: Permit): void {
    if (permit !== 'probe') return;
    const s = this.#state;
    if (s.kind !== 'half_open' || !s.probeInFlight) return;
    this.#transition({ kind: 'closed', failures: [] }, this.#policy.cooldownMs, 'probe succeeded');
  }

  /**
   * The attempt failed. Closed: the failure is counted and may open the breaker. A probe failure
   * reopens it with the cooldown doubled, capped at `maxCooldownMs`.
   */
  failure(permit: Permit, reason?: string): void {
    if (permit === 'normal') {
      this.#countFailure(reason);
      return;
    }
    const s = this.#state;
    if (s.kind !== 'half_open' || !s.probeInFlight) return;
    const cooldownMs = Math.min(s.cooldownMs * 2, this.#maxCooldownMs());
    this.#open(cooldownMs, reason === undefined ? 'probe failed' : `probe failed: ${reason}`);
  }

  /** The attempt ended without a verdict (caller aborted, client error): a probe slot is handed back. */
  release(permit: Permit): void {
    if (permit !== 'probe') return;
    const s = this.#state;
    if (s.kind === 'half_open') s.probeInFlight = false;
  }

  /** Counts a failure seen outside any permit (e.g. the whole provider is unreachable); closed state only. */
  recordFailure(reason?: string): void {
    this.#countFailure(reason);
  }

  /** When an open breaker will admit a probe, ms since the epoch; undefined unless open. */
  readyAtMs(): number | undefined {
    const s = this.#refresh();
    return s.kind === 'open' ? s.reopenAtMs : undefined;
  }

  /** A copy of the current state, for metrics and status pages. */
  snapshot(): BreakerSnapshot {
    const s = this.#refresh();
    switch (s.kind) {
      case 'closed':
        this.#prune(s.failures, this.#clock.now());
        return { state: 'closed', failuresInWindow: s.failures.length, cooldownMs: this.#policy.cooldownMs };
      case 'open':
        return { state: 'open', failuresInWindow: 0, cooldownMs: s.cooldownMs, reopenAtMs: s.reopenAtMs };
      case 'half_open':
        return { state: 'half_open', failuresInWindow: 0, cooldownMs: s.cooldownMs };
    }
  }

  #countFailure(reason: string | undefined): void {
    const s = this.#state;
    if (s.kind !== 'closed') return;
    const nowMs = this.#clock.now();
    this.#prune(s.failures, nowMs);
    s.failures.push(nowMs);
    const threshold = Math.max(1, this.#policy.failureThreshold);
    if (s.failures.length < threshold) return;
    const why = `${s.failures.length} failures within ${this.#policy.windowMs}ms`;
    this.#open(
      Math.min(this.#policy.cooldownMs, this.#maxCooldownMs()),
      reason === undefined ? why : `${why}; last: ${reason}`,
    );
  }

  /** Drops failures no longer inside the window. */
  #prune(failures: number[], nowMs: number): void {
    let stale = 0;
    while (stale < failures.length && nowMs - failures[stale]! >= this.#policy.windowMs) stale++;
    if (stale > 0) failures.splice(0, stale);
  }

  #maxCooldownMs(): number {
    return Math.max(this.#policy.cooldownMs, this.#policy.maxCooldownMs);
  }

  #open(requestedMs: number, reason: string): void {
    // Negative or NaN (a bad policy) counts as no cooldown.
    const cooldownMs = Math.max(requestedMs, 0) || 0;
    const nowMs = this.#clock.now();
    this.#transition(
      { kind: 'open', openedAtMs: nowMs, reopenAtMs: nowMs + cooldownMs, cooldownMs },
      cooldownMs,
      reason,
    );
  }

  /** Makes the lazy open → half_open switch when the cooldown has passed. */
  #refresh(): Internal {
    const s = this.#state;
    if (s.kind === 'open' && this.#clock.now() >= s.reopenAtMs) {
      this.#transition(
        { kind: 'half_open', cooldownMs: s.cooldownMs, probeInFlight: false },
        s.cooldownMs,
        'cooldown elapsed',
      );
    }
    return this.#state;
  }

  #transition(next: Internal, cooldownMs: number, reason: string): void {
    const from = this.#state.kind;
    this.#state = next;
    if (this.#onTransition === undefined) return;
    try {
      const result: unknown = this.#onTransition({
        from,
        to: next.kind,
        atMs: this.#clock.now(),
        cooldownMs,
        reason,
      });
      // An async listener's rejection must not surface as an unhandled rejection either.
      if (result instanceof Promise) result.catch(() => {});
    } catch {
      // A broken listener must not break the breaker.
    }
  }
}
