import type { AttemptRecord, ResultMetadata, SwitchboardEvent } from '../routing/index.js';
import type { LedgerAttempt, LedgerRow, RequestRow } from './rows.js';

/** The engine events the ledger records. */
export type LedgerEvent = Extract<
  SwitchboardEvent,
  { type: 'request.succeeded' | 'request.failed' | 'breaker.transition' | 'model.cooling_down' }
>;

/** An event as the recorder caught it: the event itself and when (epoch ms). */
export interface CapturedEvent {
  atMs: number;
  event: LedgerEvent;
}

/** Transitions are kept this long to tell whether one happened during a request (1 h covers any deadline). */
const TRANSITION_HORIZON_MS = 60 * 60 * 1000;
/** At most this many recent transitions are kept (a flapping fleet must not grow memory). */
const MAX_TRANSITIONS = 1_000;

/**
 * Recent breaker transitions, to mark requests during which a breaker of their chain changed state.
 * Events arrive in order, and a request's transitions come before its end, so a transition seen in an
 * earlier batch or earlier in the same batch is enough.
 */
export class RecentTransitions {
  readonly #entries: Array<{ model: string; atMs: number }> = [];

  add(model: string, atMs: number): void {
    this.#entries.push({ model, atMs });
    const oldest = atMs - TRANSITION_HORIZON_MS;
    let drop = Math.max(0, this.#entries.length - MAX_TRANSITIONS);
    while (drop < this.#entries.length && (this.#entries[drop]?.atMs ?? 0) < oldest) drop++;
    if (drop > 0) this.#entries.splice(0, drop);
  }

  /** Did any model of `models` change state between `fromMs` and `toMs` (inclusive)? */
  changedDuring(models: readonly string[], fromMs: number, toMs: number): boolean {
    for (let i = this.#entries.length - 1; i >= 0; i--) {
      const entry = this.#entries[i]!;
      if (entry.atMs < fromMs) return false;
      if (entry.atMs <= toMs && models.includes(entry.model)) return true;
    }
    return false;
  }
}

/** Turns captured events into ledger rows, in order. Pure apart from feeding `transitions`. */
export function toRows(captured: readonly CapturedEvent[], transitions: RecentTransitions): LedgerRow[] {
  const rows: LedgerRow[] = [];
  for (const { atMs, event } of captured) {
    const at = Math.round(atMs);
    switch (event.type) {
      case 'breaker.transition':
        transitions.add(event.model, atMs);
        // A change learnt from another instance (shared state) is that instance's row: recorded once.
        if (event.remote) break;
        rows.push({
          kind: 'breaker',
          atMs: at,
          model: event.model,
          from: event.from,
          to: event.to,
          cooldownMs: event.cooldownMs,
          reason: event.reason,
        });
        break;
      case 'model.cooling_down':
        rows.push({
          kind: 'cooldown',
          atMs: at,
          model: event.model,
          requestId: event.requestId,
          untilMs: Math.round(event.untilMs),
          retryAfterMs: event.retryAfterMs,
        });
        break;
      default: {
        const meta = event.metadata;
        const outcome = event.type === 'request.succeeded' ? 'success' : event.code;
        const changed = transitions.changedDuring(meta.chain, atMs - meta.latencyMs, atMs);
        rows.push(requestRow(meta, outcome, at, changed));
      }
    }
  }
  return rows;
}

/** One request's row from its metadata. Keeps no provider message, prompt or completion. */
export function requestRow(
  meta: ResultMetadata,
  outcome: string,
  atMs: number,
  breakerChanged: boolean,
): RequestRow {
  return {
    kind: 'request',
    atMs,
    requestId: meta.requestId,
    route: meta.route ?? null,
    model: meta.model ?? null,
    provider: meta.provider ?? null,
    outcome,
    attempts: meta.attempts.map(ledgerAttempt),
    fallbacks: count(meta.fallbacks),
    retries: count(meta.retries),
    hedges: count(meta.hedges),
    recoveries: meta.recoveries.length,
    latencyMs: amount(meta.latencyMs),
    timeToFirstTokenMs: meta.timeToFirstTokenMs === undefined ? null : amount(meta.timeToFirstTokenMs),
    promptTokens: count(meta.usage?.prompt_tokens),
    completionTokens: count(meta.usage?.completion_tokens),
    costUsd: amount(meta.costUsd),
    wastedCostUsd: amount(meta.wastedCostUsd),
    breakerChanged,
    ...(meta.operation ? { operation: meta.operation } : {}),
  };
}

function ledgerAttempt(a: AttemptRecord): LedgerAttempt {
  return {
    model: a.model,
    provider: a.provider,
    outcome: a.outcome,
    errorKind: a.errorKind ?? null,
    errorCode: a.errorCode ?? null,
    status: a.status ?? null,
    durationMs: amount(a.durationMs),
    waitBeforeMs: amount(a.waitBeforeMs),
    probe: a.probe === true,
    hedge: a.hedge === true,
  };
}

/** A whole number >= 0 (garbage reads 0). */
function count(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.round(value) : 0;
}

/** A finite number >= 0 (garbage reads 0). */
function amount(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : 0;
}
