import type { Clock } from '../common/clock.js';
import type { CircuitBreakerPolicy } from '../config/types.js';
import type {
  BreakerSnapshot,
  BreakerState,
  BreakerTransition,
  Permit,
  SharedBreakerChange,
} from './breaker-types.js';
import type { SharedTally } from './shared-counter.js';

export type {
  BreakerSnapshot,
  BreakerState,
  BreakerTransition,
  Permit,
  SharedBreakerChange,
} from './breaker-types.js';

type Internal =
  | { kind: 'closed'; sinceMs: number; failures: number[] /* timestamps within window, oldest first */ }
  | { kind: 'open'; openedAtMs: number; reopenAtMs: number; cooldownMs: number }
  | { kind: 'half_open'; openedAtMs: number; reopenAtMs: number; cooldownMs: number; probeInFlight: boolean };

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
 *
 * Shared by several instances: a `SharedTally` adds the other instances' failures inside the window
 * to the threshold check (and is reset when the breaker closes), and `applyRemote` takes an open or
 * close made elsewhere, newest first (`atMs`), the later reopen deadline winning between two opens.
 */
export class CircuitBreaker {
  readonly #policy: CircuitBreakerPolicy;
  readonly #clock: Clock;
  readonly #onTransition: ((t: BreakerTransition) => void) | undefined;
  readonly #shared: SharedTally | undefined;
  #state: Internal = { kind: 'closed', sinceMs: Number.NEGATIVE_INFINITY, failures: [] };

  /**
   * @param policy thresholds and cooldowns (ms); a `maxCooldownMs` below `cooldownMs` disables doubling.
   * @param clock time source.
   * @param onTransition called after each state change; exceptions it throws are swallowed.
   * @param shared the failures other instances counted for this model (none: this instance alone).
   */
  constructor(
    policy: CircuitBreakerPolicy,
    clock: Clock,
    onTransition?: (t: BreakerTransition) => void,
    shared?: SharedTally,
  ) {
    this.#policy = policy;
    this.#clock = clock;
    this.#onTransition = onTransition;
    this.#shared = shared;
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
    this.#close('probe succeeded', this.#clock.now());
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

  /**
   * An out-of-band health probe (no permit) succeeded: an open or half-open breaker closes, unless a
   * user probe is in flight (its own verdict will come). Returns whether the breaker closed.
   */
  recover(reason: string): boolean {
    const s = this.#refresh();
    if (s.kind === 'closed' || (s.kind === 'half_open' && s.probeInFlight)) return false;
    this.#close(reason, this.#clock.now());
    return true;
  }

  /**
   * An out-of-band health probe failed: an open or half-open breaker (with no user probe in flight)
   * is opened again from now for its current cooldown (not doubled), or `minHoldMs` if longer, so no
   * user request pays for the next probe. Extending an open breaker is silent (the same outage).
   * Returns whether the breaker changed.
   */
  hold(reason: string, minHoldMs = 0): boolean {
    const s = this.#refresh();
    if (s.kind === 'closed' || (s.kind === 'half_open' && s.probeInFlight)) return false;
    const nowMs = this.#clock.now();
    const holdMs = Math.max(s.cooldownMs, minHoldMs, 0) || 0;
    const next: Internal = {
      kind: 'open',
      openedAtMs: nowMs,
      reopenAtMs: nowMs + holdMs,
      cooldownMs: s.cooldownMs,
    };
    if (s.kind === 'open') this.#state = next;
    else this.#transition(next, s.cooldownMs, reason);
    return true;
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

  /** A copy of the current state, for metrics and status pages; failures include other instances'. */
  snapshot(): BreakerSnapshot {
    const s = this.#refresh();
    switch (s.kind) {
      case 'closed': {
        this.#prune(s.failures, this.#clock.now());
        const failuresInWindow = s.failures.length + (this.#shared?.others() ?? 0);
        return { state: 'closed', failuresInWindow, cooldownMs: this.#policy.cooldownMs };
      }
      case 'open':
        return { state: 'open', failuresInWindow: 0, cooldownMs: s.cooldownMs, reopenAtMs: s.reopenAtMs };
      case 'half_open':
        return { state: 'half_open', failuresInWindow: 0, cooldownMs: s.cooldownMs };
    }
  }

  /**
   * The last open or close, to share with other instances; undefined while closed since the start.
   * A half-open breaker reports the open it came from.
   */
  lastChange(): SharedBreakerChange | undefined {
    const s = this.#state;
    if (s.kind === 'closed') {
      if (!Number.isFinite(s.sinceMs)) return undefined;
      return { state: 'closed', atMs: s.sinceMs, cooldownMs: this.#policy.cooldownMs };
    }
    return { state: 'open', atMs: s.openedAtMs, cooldownMs: s.cooldownMs, reopenAtMs: s.reopenAtMs };
  }

  /**
   * Takes an open or close made by another instance, without a verdict of its own. An open applies
   * to a closed breaker unless it closed after `atMs`, and to an open or half-open one when its
   * reopen deadline is later (extending an open breaker is silent); a close applies to an open or
   * half-open breaker unless it opened after `atMs`. Transitions it makes carry `remote: true`.
   *
   * @returns whether the breaker changed.
   */
  applyRemote(change: SharedBreakerChange): boolean {
    if (!Number.isFinite(change.atMs)) return false;
    const s = this.#refresh();
    const cooldownMs = Number.isFinite(change.cooldownMs)
      ? Math.max(0, change.cooldownMs)
      : this.#policy.cooldownMs;
    if (change.state === 'closed') {
      if (s.kind === 'closed' || change.atMs < s.openedAtMs) return false;
      this.#close('closed on another instance', change.atMs, true);
      return true;
    }
    const reopenAtMs = change.reopenAtMs ?? change.atMs + cooldownMs;
    if (!Number.isFinite(reopenAtMs)) return false;
    if (s.kind === 'closed' ? change.atMs < s.sinceMs : reopenAtMs <= s.reopenAtMs) return false;
    const next: Internal = { kind: 'open', openedAtMs: change.atMs, reopenAtMs, cooldownMs };
    if (s.kind === 'open') {
      this.#state = next;
      return true;
    }
    this.#transition(next, cooldownMs, 'opened on another instance', true);
    this.#refresh();
    return true;
  }

  #countFailure(reason: string | undefined): void {
    const s = this.#state;
    if (s.kind !== 'closed') return;
    const nowMs = this.#clock.now();
    this.#prune(s.failures, nowMs);
    s.failures.push(nowMs);
    this.#shared?.add(1);
    const counted = s.failures.length + (this.#shared?.others() ?? 0);
    const threshold = Math.max(1, this.#policy.failureThreshold);
    if (counted < threshold) return;
    const why = `${counted} failures within ${this.#policy.windowMs}ms`;
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

  #close(reason: string, sinceMs: number, remote = false): void {
    this.#transition({ kind: 'closed', sinceMs, failures: [] }, this.#policy.cooldownMs, reason, remote);
    // Failures other instances counted before the close no longer count either.
    this.#shared?.reset();
  }

  /** Makes the lazy open → half_open switch when the cooldown has passed. */
  #refresh(): Internal {
    const s = this.#state;
    if (s.kind === 'open' && this.#clock.now() >= s.reopenAtMs) {
      this.#transition(
        {
          kind: 'half_open',
          openedAtMs: s.openedAtMs,
          reopenAtMs: s.reopenAtMs,
          cooldownMs: s.cooldownMs,
          probeInFlight: false,
        },
        s.cooldownMs,
        'cooldown elapsed',
      );
    }
    return this.#state;
  }

  #transition(next: Internal, cooldownMs: number, reason: string, remote = false): void {
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
        ...(remote ? { remote: true as const } : {}),
      });
      // An async listener's rejection must not surface as an unhandled rejection either.
      if (result instanceof Promise) result.catch(() => {});
    } catch {
      // A broken listener must not break the breaker.
    }
  }
}
