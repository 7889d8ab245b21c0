import { builtInContextWindow } from '../config/context-windows.js';
import { DEFAULTS } from '../config/defaults.js';
import type { ModelConfig } from '../config/types.js';
import type { ModelHealth, SwitchboardEvent } from '../routing/index.js';
import { OutageBook, type OutageSpan } from './outage-spans.js';

/** Failures that are the request's own doing: they say nothing about the model's health. */
const REQUEST_OWN_KINDS: ReadonlySet<string> = new Set(['client', 'content_policy', 'context_length']);

/** Outages kept for the status page, across models. */
const OUTAGES_KEPT = 50;
/** Outages shown per model. */
const OUTAGES_SHOWN = 5;

/** How a model recovers, as `GET /status` shows it under `recovery`. Times ISO 8601. */
export interface RecoveryStatus {
  health_probe: {
    enabled: boolean;
    interval_ms: number;
    /** Probes this instance sent, how many failed, and what they cost (USD, from their usage). */
    sent: number;
    failed: number;
    cost_usd: number;
    last_at: string | null;
    last_outcome: 'succeeded' | 'failed' | null;
  };
  /** The limits an attempt gets now: configured, or learnt from the model's p99 (`learnt: true`). */
  deadlines: { first_token_ms: number; attempt_ms: number; learnt: boolean };
  context_window: { tokens: number | null; source: 'learnt' | 'configured' | 'built_in' | null };
  /** The last outages: down (first failure), detected (breaker open), recovered (closed), traffic back. */
  outages: Array<{
    down_at: string;
    detected_at: string;
    recovered_at: string | null;
    traffic_back_at: string | null;
  }>;
}

interface ProbeTally {
  sent: number;
  failed: number;
  costUsd: number;
  lastAtMs?: number;
  lastOutcome?: 'succeeded' | 'failed';
}

/** Follows the engine's events for the recovery figures of `/status`: probes and outage spans. */
export class RecoveryTracker {
  readonly #outages = new OutageBook(OUTAGES_KEPT);
  readonly #probes = new Map<string, ProbeTally>();
  readonly #now: () => number;

  constructor(now: () => number) {
    this.#now = now;
  }

  /** Feed it every event (ModelStats does). */
  note(event: SwitchboardEvent): void {
    const atMs = this.#now();
    switch (event.type) {
      case 'attempt.succeeded':
        this.#outages.mark({ atMs, model: event.model, kind: 'success' });
        return;
      case 'attempt.failed':
        if (event.outcome === 'cancelled' || (event.errorKind && REQUEST_OWN_KINDS.has(event.errorKind)))
          return;
        this.#outages.mark({ atMs, model: event.model, kind: 'failure' });
        return;
      case 'breaker.transition':
        if (event.to === 'open') this.#outages.mark({ atMs, model: event.model, kind: 'open' });
        else if (event.to === 'closed') this.#outages.mark({ atMs, model: event.model, kind: 'close' });
        return;
      case 'probe.started':
        this.#tally(event.model).sent++;
        return;
      case 'probe.succeeded':
      case 'probe.failed': {
        const t = this.#tally(event.model);
        t.lastAtMs = atMs;
        if (event.type === 'probe.succeeded') {
          t.costUsd += event.costUsd;
          t.lastOutcome = 'succeeded';
        } else {
          t.failed++;
          t.lastOutcome = 'failed';
        }
        return;
      }
      default:
        return;
    }
  }

  /** The model's outage spans (last few), for the report's and the status page's shapes. */
  outages(model: string): OutageSpan[] {
    return this.#outages.spans(model).slice(-OUTAGES_SHOWN);
  }

  status(model: ModelConfig, health: ModelHealth): RecoveryStatus {
    const probe = model.healthProbe ?? DEFAULTS.healthProbe;
    const t = this.#probes.get(model.id);
    const firstTokenMs = health.firstTokenLimitMs(model);
    const attemptMs = health.attemptLimitMs(model);
    const windowTokens = health.contextWindow(model.id);
    return {
      health_probe: {
        enabled: probe.enabled,
        interval_ms: probe.intervalMs,
        sent: t?.sent ?? 0,
        failed: t?.failed ?? 0,
        cost_usd: Math.round((t?.costUsd ?? 0) * 1e9) / 1e9,
        last_at: t?.lastAtMs === undefined ? null : iso(t.lastAtMs),
        last_outcome: t?.lastOutcome ?? null,
      },
      deadlines: {
        first_token_ms: firstTokenMs,
        attempt_ms: attemptMs,
        learnt: firstTokenMs !== model.timeouts.firstTokenMs || attemptMs !== model.timeouts.attemptMs,
      },
      context_window: { tokens: windowTokens ?? null, source: windowSource(model, windowTokens) },
      outages: this.outages(model.id).map((s) => ({
        down_at: iso(s.downAtMs),
        detected_at: iso(s.detectedAtMs),
        recovered_at: s.recoveredAtMs === undefined ? null : iso(s.recoveredAtMs),
        traffic_back_at: s.trafficBackAtMs === undefined ? null : iso(s.trafficBackAtMs),
      })),
    };
  }

  #tally(model: string): ProbeTally {
    let t = this.#probes.get(model);
    if (t === undefined) {
      t = { sent: 0, failed: 0, costUsd: 0 };
      this.#probes.set(model, t);
    }
    return t;
  }
}

function windowSource(
  model: ModelConfig,
  tokens: number | undefined,
): RecoveryStatus['context_window']['source'] {
  if (tokens === undefined) return null;
  if (model.contextWindow === tokens) return 'configured';
  if (model.contextWindow === undefined && builtInContextWindow(model.upstreamModel) === tokens)
    return 'built_in';
  return 'learnt';
}

function iso(ms: number): string {
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? new Date(0).toISOString() : date.toISOString();
}
