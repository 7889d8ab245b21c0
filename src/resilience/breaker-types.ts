/** The types a `CircuitBreaker` speaks: states, transitions, permits, snapshots, shared changes. */

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
  /** Set when the change was learnt from another instance (`applyRemote`): not to be shared again. */
  remote?: true;
}

/**
 * An open or close made by another instance, as `applyRemote` takes it and `lastChange` gives it.
 * Half-open is never shared: every instance derives it from `reopenAtMs`.
 */
export interface SharedBreakerChange {
  state: 'open' | 'closed';
  /** When the change was made, ms since the epoch: the version, newer wins. */
  atMs: number;
  /** The cooldown in effect after the change, ms. */
  cooldownMs: number;
  /** When the open breaker admits a probe, ms since the epoch; only when open. */
  reopenAtMs?: number;
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
