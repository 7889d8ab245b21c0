import { collectDefaultMetrics, type Gauge, Registry } from 'prom-client';
import type { SwitchboardConfig } from '../config/types.js';
import type { BreakerState } from '../resilience/circuit-breaker.js';
import type {
  EventBus,
  ModelHealth,
  ResultMetadata,
  SkipReason,
  SwitchboardEvent,
} from '../routing/index.js';
import { ChildCache } from './label-cache.js';
import type { CounterCell, HistogramCell } from './metric-cells.js';
import { createMetricSet, type MetricSet } from './metric-set.js';

/** `switchboard_breaker_state` values. */
export const BREAKER_STATE_VALUE: Readonly<Record<BreakerState, number>> = {
  closed: 0,
  half_open: 1,
  open: 2,
};

const SKIP_REASONS: readonly SkipReason[] = ['breaker_open', 'cooling_down', 'context_window', 'unsupported'];
const BREAKER_TRANSITIONS: ReadonlyArray<readonly [BreakerState, BreakerState]> = [
  ['closed', 'open'],
  ['open', 'half_open'],
  ['half_open', 'closed'],
  ['half_open', 'open'],
];

type CounterChild = CounterCell;
type GaugeChild = Gauge.Internal<string>;
type HistogramChild = HistogramCell;

/** Options for {@link GatewayMetrics}. */
export interface GatewayMetricsOptions {
  /** Also register prom-client's default process/Node.js metrics on this registry (default true). */
  processMetrics?: boolean;
}

/**
 * Prometheus metrics of one Switchboard instance, on a registry of its own (two instances in one
 * process never collide, and the prom-client global registry is left alone).
 *
 * Counters are fed by the engine's events (`attach`); breaker states and cooldown deadlines are read
 * from `ModelHealth` at scrape time, so they are always current. What a request touches is a cell
 * (metric-cells.ts) found through a cache of nested Maps, and the cells known from the config are
 * created (at 0) up front, so a healthy request costs a few Map lookups and additions; prom-client
 * sees the sums when scraped. Nothing here ever throws into the engine.
 */
export class GatewayMetrics {
  /** The registry every metric of this instance lives on. */
  readonly registry: Registry;
  readonly #config: SwitchboardConfig;
  readonly #health: ModelHealth;
  readonly #m: MetricSet;
  readonly #modelIds: readonly string[];

  readonly #requests: ChildCache<CounterChild>;
  readonly #attempts: ChildCache<CounterChild>;
  readonly #fallbacks: ChildCache<CounterChild>;
  readonly #retries: ChildCache<CounterChild>;
  readonly #skipped: ChildCache<CounterChild>;
  readonly #transitions: ChildCache<CounterChild>;
  readonly #cooldowns: ChildCache<CounterChild>;
  readonly #tokens: ChildCache<CounterChild>;
  readonly #cost: ChildCache<CounterChild>;
  readonly #wastedCost: ChildCache<CounterChild>;
  readonly #malformed: ChildCache<CounterChild>;
  readonly #duration: ChildCache<HistogramChild>;
  readonly #ttft: ChildCache<HistogramChild>;
  readonly #breakerState = new Map<string, GaugeChild>();
  readonly #overhead: HistogramCell;
  #inFlight = 0;
  readonly #cooldownUntil = new Map<string, GaugeChild>();

  /**
   * @param config the resolved config: its models and routes give the label sets created up front.
   * @param health the instance's breakers and cooldowns, read at scrape time.
   */
  constructor(config: SwitchboardConfig, health: ModelHealth, options: GatewayMetricsOptions = {}) {
    this.#config = config;
    this.#health = health;
    this.#modelIds = Object.keys(config.models);
    this.registry = new Registry();
    this.#m = createMetricSet(this.registry, {
      breakerState: () => this.#collectBreakerStates(),
      cooldownUntil: () => this.#collectCooldowns(),
      inFlight: () => this.#inFlight,
    });
    if (options.processMetrics !== false) collectDefaultMetrics({ register: this.registry });

    const m = this.#m;
    this.#requests = new ChildCache(4, (v) => m.requests.cell(v));
    this.#attempts = new ChildCache(4, (v) => m.attempts.cell(v));
    this.#fallbacks = new ChildCache(3, (v) => m.fallbacks.cell(v));
    this.#retries = new ChildCache(1, (v) => m.retries.cell(v));
    this.#skipped = new ChildCache(2, (v) => m.skipped.cell(v));
    this.#transitions = new ChildCache(3, (v) => m.breakerTransitions.cell(v));
    this.#cooldowns = new ChildCache(1, (v) => m.cooldowns.cell(v));
    this.#tokens = new ChildCache(2, (v) => m.tokens.cell(v));
    this.#cost = new ChildCache(2, (v) => m.cost.cell(v));
    this.#wastedCost = new ChildCache(1, (v) => m.wastedCost.cell(v));
    this.#malformed = new ChildCache(1, (v) => m.malformedChunks.cell(v));
    this.#duration = new ChildCache(2, (v) => m.requestDuration.cell(v));
    this.#ttft = new ChildCache(2, (v) => m.timeToFirstToken.cell(v));
    this.#overhead = m.overhead.cell();
    this.#prewarm();
  }

  /** Subscribes to the engine's events; returns the unsubscribe function. */
  attach(bus: Pick<EventBus, 'on'>): () => void {
    return bus.on(this.#listener);
  }

  /** The exposition text and its content type, for `GET /metrics`. */
  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }

  /** The HTTP server took a request. */
  requestStarted(): void {
    this.#inFlight++;
  }

  /** The HTTP server finished a request (answered, failed or aborted); call once per `requestStarted`. */
  requestEnded(): void {
    this.#inFlight--;
  }

  /** Records the gateway's own overhead for one request: `totalMs` minus the time spent upstream. */
  observeOverhead(totalMs: number, upstreamMs: number): void {
    const overheadMs = totalMs - upstreamMs;
    if (!Number.isFinite(overheadMs)) return;
    this.#overhead.observe(overheadMs > 0 ? overheadMs / 1000 : 0);
  }

  readonly #listener = (event: SwitchboardEvent): void => {
    try {
      this.#handle(event);
    } catch {
      // Telemetry never breaks a request.
    }
  };

  #handle(event: SwitchboardEvent): void {
    switch (event.type) {
      case 'request.succeeded':
        this.#requestEnded(event.metadata, 'success');
        return;
      case 'request.failed':
        this.#requestEnded(event.metadata, event.code);
        return;
      case 'attempt.succeeded':
        this.#attempts.get(event.model, event.provider, 'success', '').inc();
        return;
      case 'attempt.failed':
        this.#attempts.get(event.model, event.provider, event.outcome, event.errorKind ?? '').inc();
        return;
      case 'fallback':
        this.#fallbacks.get(event.from, event.to, event.sameProvider ? 'true' : 'false').inc();
        return;
      case 'retry.scheduled':
        this.#retries.get(event.model).inc();
        return;
      case 'model.skipped':
        this.#skipped.get(event.model, event.reason).inc();
        return;
      case 'model.cooling_down':
        this.#cooldowns.get(event.model).inc();
        return;
      case 'breaker.transition':
        this.#transitions.get(event.model, event.from, event.to).inc();
        return;
      case 'stream.malformed_chunk':
        this.#malformed.get(event.model).inc();
        return;
      case 'hedge.started':
        this.#m.hedges.labels(event.model, event.hedge).inc();
        return;
      case 'stream.recovered':
        this.#m.recoveries.labels(event.from, event.to ?? '', event.mode ?? '').inc();
        return;
      case 'retry.budget_exhausted':
        this.#m.budgetExhausted.inc();
        return;
      case 'probe.succeeded':
        this.#m.probes.labels(event.model, 'succeeded').inc();
        if (isPositive(event.costUsd)) this.#m.probeCost.labels(event.model).inc(event.costUsd);
        return;
      case 'probe.failed':
        this.#m.probes.labels(event.model, 'failed').inc();
        return;
      case 'probe.skipped':
        this.#m.probes.labels(event.model, 'skipped').inc();
        return;
      default:
        return;
    }
  }

  #requestEnded(meta: ResultMetadata, outcome: string): void {
    const route = meta.route ?? '';
    const model = meta.model ?? '';
    const provider = meta.provider ?? '';
    this.#requests.get(route, model, provider, outcome).inc();
    if (isAmount(meta.latencyMs)) this.#duration.get(route, model).observe(meta.latencyMs / 1000);
    const ttft = meta.timeToFirstTokenMs;
    if (ttft !== undefined && isAmount(ttft)) this.#ttft.get(route, model).observe(ttft / 1000);
    const usage = meta.usage;
    if (usage) {
      if (isPositive(usage.prompt_tokens)) this.#tokens.get(model, 'prompt').inc(usage.prompt_tokens);
      if (isPositive(usage.completion_tokens))
        this.#tokens.get(model, 'completion').inc(usage.completion_tokens);
    }
    if (isPositive(meta.costUsd)) this.#cost.get(model, provider).inc(meta.costUsd);
    if (isPositive(meta.wastedCostUsd)) {
      const wastedOn = meta.model ?? meta.attempts[meta.attempts.length - 1]?.model ?? '';
      this.#wastedCost.get(wastedOn).inc(meta.wastedCostUsd);
    }
  }

  /** Creates the children known from the config; counters start at 0 so `rate()` sees them from the start. */
  #prewarm(): void {
    const { models, routes } = this.#config;
    for (const model of this.#modelIds) {
      const provider = models[model]?.provider ?? '';
      this.#attempts.get(model, provider, 'success', '').inc(0);
      this.#retries.get(model).inc(0);
      this.#cooldowns.get(model).inc(0);
      this.#malformed.get(model).inc(0);
      this.#tokens.get(model, 'prompt').inc(0);
      this.#tokens.get(model, 'completion').inc(0);
      this.#cost.get(model, provider).inc(0);
      this.#wastedCost.get(model).inc(0);
      for (const reason of SKIP_REASONS) this.#skipped.get(model, reason).inc(0);
      for (const [from, to] of BREAKER_TRANSITIONS) this.#transitions.get(model, from, to).inc(0);
      // A request naming a model directly has no route; any model can answer one.
      this.#requests.get('', model, provider, 'success').inc(0);
      this.#duration.get('', model);
      this.#breakerState.set(model, this.#m.breakerState.labels(model));
      this.#cooldownUntil.set(model, this.#m.cooldownUntil.labels(model));
    }
    for (const route of Object.values(routes)) {
      for (const model of route.models) {
        this.#requests.get(route.id, model, models[model]?.provider ?? '', 'success').inc(0);
        this.#duration.get(route.id, model);
      }
    }
  }

  #collectBreakerStates(): void {
    for (const model of this.#modelIds) {
      try {
        this.#breakerState.get(model)?.set(BREAKER_STATE_VALUE[this.#health.breaker(model).state]);
      } catch {
        // A model without a breaker is simply not reported.
      }
    }
  }

  #collectCooldowns(): void {
    for (const model of this.#modelIds) {
      try {
        const untilMs = this.#health.cooldownUntil(model);
        this.#cooldownUntil.get(model)?.set(untilMs === undefined ? 0 : untilMs / 1000);
      } catch {
        // Never fail a scrape.
      }
    }
  }
}

/** A finite number >= 0. */
function isAmount(value: number): boolean {
  return Number.isFinite(value) && value >= 0;
}

/** A finite number > 0: what a counter can be increased by. */
function isPositive(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0;
}
