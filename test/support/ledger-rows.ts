// Shared by the ledger's *.test.ts files. Kept free of vitest so that it is harmless if a build picks it up.
import type { BreakerRow, CooldownRow, LedgerAttempt, RequestRow } from '../../src/ledger/rows.js';

/** An attempt; a success unless `overrides` say otherwise. */
export function attempt(model: string, overrides: Partial<LedgerAttempt> = {}): LedgerAttempt {
  return {
    model,
    provider: `p-${model}`,
    outcome: 'success',
    errorKind: null,
    errorCode: null,
    status: 200,
    durationMs: 10,
    waitBeforeMs: 0,
    probe: false,
    hedge: false,
    ...overrides,
  };
}

/** A failed attempt with an HTTP status (503 by default). */
export function failed(model: string, status = 503): LedgerAttempt {
  return attempt(model, { outcome: 'error', errorKind: 'transient', errorCode: `http_${status}`, status });
}

let nextId = 0;

/** A request answered by the last attempt's model; `overrides` change anything. */
export function request(attempts: LedgerAttempt[], overrides: Partial<RequestRow> = {}): RequestRow {
  const last = attempts[attempts.length - 1];
  const success = (overrides.outcome ?? 'success') === 'success';
  return {
    kind: 'request',
    atMs: 1_000,
    requestId: `r-${++nextId}`,
    route: 'main',
    model: success ? (last?.model ?? null) : null,
    provider: success ? (last?.provider ?? null) : null,
    outcome: 'success',
    attempts,
    fallbacks: new Set(attempts.map((a) => a.model)).size - 1,
    retries: 0,
    hedges: 0,
    recoveries: 0,
    latencyMs: 100,
    timeToFirstTokenMs: null,
    promptTokens: success ? 10 : 0,
    completionTokens: success ? 20 : 0,
    costUsd: 0,
    wastedCostUsd: 0,
    breakerChanged: false,
    ...overrides,
  };
}

export function trip(model: string, atMs = 1_000, from = 'closed', to = 'open'): BreakerRow {
  return { kind: 'breaker', atMs, model, from, to, cooldownMs: 30_000, reason: 'failure threshold' };
}

export function cooldown(model: string, requestId: string, atMs = 1_000): CooldownRow {
  return { kind: 'cooldown', atMs, model, requestId, untilMs: atMs + 30_000, retryAfterMs: 30_000 };
}
