import type { Clock } from '../common/clock.js';
import type { ModelConfig, SwitchboardConfig } from '../config/types.js';
import type { BreakerState } from '../resilience/circuit-breaker.js';
import type {
  AttemptRecord,
  EventBus,
  ModelHealth,
  ResultMetadata,
  SwitchboardEvent,
} from '../routing/index.js';
import { AttemptWindow, type LatencyPercentiles } from './attempt-window.js';
import { type RecoveryStatus, RecoveryTracker } from './recovery-status.js';
import { configSecrets, redact } from './redact.js';

/**
 * Upstream refusals of the request's own content (a 400, a content filter, a prompt longer than the
 * window): they say nothing about the model's health, and one client must not colour it for everyone.
 */
const REQUEST_OWN_KINDS: ReadonlySet<string> = new Set(['client', 'content_policy', 'context_length']);

/** Longest provider message kept for `last_error`. */
const MAX_MESSAGE_CHARS = 500;

/** The most recent failed attempt of a model. */
export interface LastError {
  /** When the failure was seen, ISO 8601. */
  at: string;
  /** HTTP status from the upstream, null when it never answered. */
  status: number | null;
  /** Stable detail: `http_503`, `timeout`, `connect_failed`, `stream_broken`, … */
  error: string;
  /** What the provider said, with any configured secret redacted; null when it said nothing. */
  message: string | null;
}

/** One configured model, as `GET /status` shows it. */
export interface ModelStatus {
  provider: string;
  breaker: {
    state: BreakerState;
    failures_in_window: number;
    cooldown_ms: number;
    /** When an open breaker admits a probe, ISO 8601; null unless open. */
    reopen_at: string | null;
  };
  /** End of an active rate-limit cooldown, ISO 8601; null when none. */
  cooling_down_until: string | null;
  /** The last `windowSize` attempts with a verdict (cancelled ones are left out). */
  recent: {
    attempts: number;
    /** 0..1; null when there were no attempts. */
    success_rate: number | null;
    /** Over every attempt in the window, failures included; nearest-rank. */
    latency_ms: LatencyPercentiles | null;
  };
  last_error: LastError | null;
  /** Health probes, learnt deadlines and context window, recent outages (recovery-status.ts). */
  recovery: RecoveryStatus;
}

/** The body of `GET /status`. Carries no keys, base URLs or headers. */
export interface StatusSnapshot {
  generated_at: string;
  models: Record<string, ModelStatus>;
  routes: Record<string, { chain: string[] }>;
}

/** Options for {@link ModelStats}. */
export interface ModelStatsOptions {
  /** Attempts kept per model for the `recent` figures (default 200). */
  windowSize?: number;
}

interface ErrorEntry {
  atMs: number;
  status: number | null;
  error: string;
  message: string | null;
}

/**
 * Per-model health and recent performance for the status page: breaker and cooldown state read from
 * `ModelHealth` when asked, plus a ring buffer of each model's last attempts fed by the engine's
 * events. Recording an attempt allocates nothing; percentiles are computed at snapshot time.
 */
export class ModelStats {
  readonly #config: SwitchboardConfig;
  readonly #health: ModelHealth;
  readonly #clock: Clock;
  readonly #windows = new Map<string, AttemptWindow>();
  readonly #lastErrors = new Map<string, ErrorEntry>();
  readonly #secrets: readonly string[];
  readonly #recovery: RecoveryTracker;

  /**
   * @param config the resolved config: which models and routes to report (its secrets are never copied out).
   * @param health the instance's breakers and cooldowns.
   * @param clock time source for `last_error.at` and `generated_at`.
   */
  constructor(config: SwitchboardConfig, health: ModelHealth, clock: Clock, opts: ModelStatsOptions = {}) {
    this.#config = config;
    this.#health = health;
    this.#clock = clock;
    const windowSize = opts.windowSize ?? 200;
    for (const model of Object.keys(config.models)) this.#windows.set(model, new AttemptWindow(windowSize));
    this.#secrets = configSecrets(config);
    this.#recovery = new RecoveryTracker(() => clock.now());
  }

  /** Subscribes to the engine's events; returns the unsubscribe function. */
  attach(bus: Pick<EventBus, 'on'>): () => void {
    return bus.on(this.#listener);
  }

  /** Every configured model and route, as of now. */
  snapshot(): StatusSnapshot {
    const models: Record<string, ModelStatus> = {};
    for (const [id, model] of Object.entries(this.#config.models)) {
      models[id] = this.#modelStatus(id, model.provider);
    }
    const routes: Record<string, { chain: string[] }> = {};
    for (const [id, route] of Object.entries(this.#config.routes)) routes[id] = { chain: [...route.models] };
    return { generated_at: iso(this.#clock.now()), models, routes };
  }

  readonly #listener = (event: SwitchboardEvent): void => {
    try {
      this.#recovery.note(event);
      switch (event.type) {
        case 'attempt.succeeded':
          this.#windows.get(event.model)?.record(true, event.durationMs);
          return;
        case 'attempt.failed':
          if (event.outcome === 'cancelled') return; // the caller left: no verdict on the model
          if (event.errorKind && REQUEST_OWN_KINDS.has(event.errorKind)) return; // the request's fault, not the model's
          this.#windows.get(event.model)?.record(false, event.durationMs);
          this.#noteError(event);
          return;
        case 'request.failed':
          if (event.code === 'stream_interrupted') this.#streamInterrupted(event.metadata);
          return;
        default:
          return;
      }
    } catch {
      // Telemetry never breaks a request.
    }
  };

  /** A stream that opened (counted as a success) broke after content was sent: its attempt failed after all. */
  #streamInterrupted(meta: ResultMetadata): void {
    const record = meta.attempts[meta.attempts.length - 1];
    if (!record) return;
    this.#windows.get(record.model)?.markLatestSuccessFailed();
    this.#noteError(record);
  }

  #noteError(record: AttemptRecord): void {
    if (!this.#windows.has(record.model)) return;
    const message = record.message ? redact(record.message, this.#secrets).slice(0, MAX_MESSAGE_CHARS) : null;
    this.#lastErrors.set(record.model, {
      atMs: this.#clock.now(),
      status: record.status ?? null,
      error: record.errorCode ?? record.errorKind ?? record.outcome,
      message,
    });
  }

  #modelStatus(id: string, provider: string): ModelStatus {
    const breaker = this.#health.breaker(id).snapshot();
    const coolingUntil = this.#health.cooldownUntil(id);
    const window = this.#windows.get(id);
    const lastError = this.#lastErrors.get(id);
    return {
      provider,
      breaker: {
        state: breaker.state,
        failures_in_window: breaker.failuresInWindow,
        cooldown_ms: breaker.cooldownMs,
        reopen_at: breaker.reopenAtMs === undefined ? null : isoOrNull(breaker.reopenAtMs),
      },
      cooling_down_until: coolingUntil === undefined ? null : isoOrNull(coolingUntil),
      recent: {
        attempts: window?.count ?? 0,
        success_rate: window?.successRate() ?? null,
        latency_ms: window?.latencyPercentiles() ?? null,
      },
      last_error: lastError
        ? {
            at: iso(lastError.atMs),
            status: lastError.status,
            error: lastError.error,
            message: lastError.message,
          }
        : null,
      recovery: this.#recovery.status(this.#config.models[id] as ModelConfig, this.#health),
    };
  }
}

/** ISO 8601 for ms since the epoch. */
function iso(ms: number): string {
  return isoOrNull(ms) ?? new Date(0).toISOString();
}

/** ISO 8601 for ms since the epoch; null for a value no Date can hold. */
function isoOrNull(ms: number): string | null {
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}
