import type { AttemptOutcome } from '../routing/index.js';

/** One attempt of a recorded request: what was called and how it went. Never a provider message. */
export interface LedgerAttempt {
  model: string;
  provider: string;
  outcome: AttemptOutcome;
  /** The error class (`transient`, `rate_limited`, `provider`, …); null on success. */
  errorKind: string | null;
  /** Stable detail such as `http_503` or `timeout`; null on success. */
  errorCode: string | null;
  /** HTTP status from the upstream, when it answered. */
  status: number | null;
  durationMs: number;
  /** Backoff or Retry-After wait before this attempt. */
  waitBeforeMs: number;
  probe: boolean;
  hedge: boolean;
}

/** One request that reached the engine, as the ledger keeps it. */
export interface RequestRow {
  kind: 'request';
  /** When the request ended, epoch ms. */
  atMs: number;
  requestId: string;
  route: string | null;
  /** The model and provider that answered (a failed stream: the one that broke); null when none did. */
  model: string | null;
  provider: string | null;
  /** `success`, or the failure code: `all_models_failed`, `cancelled`, `deadline_exceeded`, … */
  outcome: string;
  attempts: LedgerAttempt[];
  fallbacks: number;
  retries: number;
  hedges: number;
  /** Mid-stream recoveries. */
  recoveries: number;
  latencyMs: number;
  timeToFirstTokenMs: number | null;
  promptTokens: number;
  completionTokens: number;
  /** Billed cost of the answer (0 when there was none). */
  costUsd: number;
  /** Cost of attempts whose tokens were billed but not used. */
  wastedCostUsd: number;
  /** Did a breaker of a model in the request's chain change state while it ran? */
  breakerChanged: boolean;
  /** Set for an embeddings request; absent for a chat completion. */
  operation?: 'embeddings';
}

/** A circuit breaker changed state (not tied to one request). */
export interface BreakerRow {
  kind: 'breaker';
  atMs: number;
  model: string;
  from: string;
  to: string;
  cooldownMs: number;
  reason: string;
}

/** A model started (or extended) a rate-limit cooldown on a Retry-After. */
export interface CooldownRow {
  kind: 'cooldown';
  atMs: number;
  model: string;
  /** The request whose attempt was rate limited. */
  requestId: string;
  untilMs: number;
  retryAfterMs: number;
}

/** Everything the ledger records. */
export type LedgerRow = RequestRow | BreakerRow | CooldownRow;

/** Rows of a period, by kind, each in time order. */
export interface LedgerRows {
  requests: RequestRow[];
  breakers: BreakerRow[];
  cooldowns: CooldownRow[];
}

/** Which rows to read: `sinceMs <= atMs < untilMs`; with `route`, only that route's requests. */
export interface LedgerQuery {
  sinceMs: number;
  untilMs: number;
  route?: string;
}

/** Outcomes that are not a failure of the gateway: the caller went away. */
export const CANCELLED = 'cancelled';

/** Did this breaker transition open the circuit (a trip)? */
export function isTrip(row: BreakerRow): boolean {
  return row.to === 'open';
}

/** Attempts that failed (errors and timeouts; cancelled attempts, e.g. hedges that lost, are not failures). */
export function isFailedAttempt(attempt: LedgerAttempt): boolean {
  return attempt.outcome === 'error' || attempt.outcome === 'timeout';
}
