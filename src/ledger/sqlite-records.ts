import {
  type BreakerRow,
  type CooldownRow,
  isFailedAttempt,
  type LedgerAttempt,
  type RequestRow,
} from './rows.js';

/** Rows as SQLite holds them (snake_case columns, JSON text, 0/1 booleans) and back. */

/** A `requests` row as read. */
export interface RequestRecord {
  at_ms: number;
  request_id: string;
  route: string | null;
  model: string | null;
  provider: string | null;
  outcome: string;
  attempts: string;
  fallbacks: number;
  retries: number;
  hedges: number;
  recoveries: number;
  latency_ms: number;
  ttft_ms: number | null;
  prompt_tokens: number;
  completion_tokens: number;
  cost_usd: number;
  wasted_cost_usd: number;
  breaker_changed: number;
  /** `chat` or `embeddings` (schema version 2). */
  operation: string;
}

/** A `model_events` row as read. */
export interface EventRecord {
  at_ms: number;
  kind: string;
  model: string;
  request_id: string | null;
  from_state: string | null;
  to_state: string | null;
  cooldown_ms: number | null;
  until_ms: number | null;
  retry_after_ms: number | null;
  reason: string | null;
}

/** Named parameters of the `requests` INSERT. */
export function requestParams(row: RequestRow): Record<string, unknown> {
  return {
    atMs: row.atMs,
    requestId: row.requestId,
    route: row.route,
    model: row.model,
    provider: row.provider,
    outcome: row.outcome,
    attempts: JSON.stringify(row.attempts),
    attemptCount: row.attempts.length,
    failedAttempts: row.attempts.filter(isFailedAttempt).length,
    fallbacks: row.fallbacks,
    retries: row.retries,
    hedges: row.hedges,
    recoveries: row.recoveries,
    latencyMs: row.latencyMs,
    timeToFirstTokenMs: row.timeToFirstTokenMs,
    promptTokens: row.promptTokens,
    completionTokens: row.completionTokens,
    costUsd: row.costUsd,
    wastedCostUsd: row.wastedCostUsd,
    breakerChanged: row.breakerChanged ? 1 : 0,
    operation: row.operation ?? 'chat',
  };
}

/** Named parameters of the `model_events` INSERT. */
export function eventParams(row: BreakerRow | CooldownRow): Record<string, unknown> {
  const common = { atMs: row.atMs, kind: row.kind, model: row.model };
  if (row.kind === 'breaker') {
    return {
      ...common,
      requestId: null,
      from: row.from,
      to: row.to,
      cooldownMs: row.cooldownMs,
      untilMs: null,
      retryAfterMs: null,
      reason: row.reason,
    };
  }
  return {
    ...common,
    requestId: row.requestId,
    from: null,
    to: null,
    cooldownMs: null,
    untilMs: row.untilMs,
    retryAfterMs: row.retryAfterMs,
    reason: null,
  };
}

/** A `requests` row back as a RequestRow (unreadable attempts read as none). */
export function requestFromRecord(r: RequestRecord): RequestRow {
  return {
    kind: 'request',
    atMs: r.at_ms,
    requestId: r.request_id,
    route: r.route,
    model: r.model,
    provider: r.provider,
    outcome: r.outcome,
    attempts: parseAttempts(r.attempts),
    fallbacks: r.fallbacks,
    retries: r.retries,
    hedges: r.hedges,
    recoveries: r.recoveries,
    latencyMs: r.latency_ms,
    timeToFirstTokenMs: r.ttft_ms,
    promptTokens: r.prompt_tokens,
    completionTokens: r.completion_tokens,
    costUsd: r.cost_usd,
    wastedCostUsd: r.wasted_cost_usd,
    breakerChanged: r.breaker_changed === 1,
    ...(r.operation === 'embeddings' ? { operation: 'embeddings' as const } : {}),
  };
}

function parseAttempts(text: string): LedgerAttempt[] {
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? (value as LedgerAttempt[]) : [];
  } catch {
    return [];
  }
}

/** A `model_events` row of kind breaker. */
export function breakerRow(e: EventRecord): BreakerRow {
  return {
    kind: 'breaker',
    atMs: e.at_ms,
    model: e.model,
    from: e.from_state ?? '',
    to: e.to_state ?? '',
    cooldownMs: e.cooldown_ms ?? 0,
    reason: e.reason ?? '',
  };
}

/** A `model_events` row of kind cooldown. */
export function cooldownRow(e: EventRecord): CooldownRow {
  return {
    kind: 'cooldown',
    atMs: e.at_ms,
    model: e.model,
    requestId: e.request_id ?? '',
    untilMs: e.until_ms ?? 0,
    retryAfterMs: e.retry_after_ms ?? 0,
  };
}
