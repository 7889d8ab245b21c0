import { Counter, Gauge, type Registry } from 'prom-client';
import { CellCounter, CellHistogram } from './metric-cells.js';

/** Prefix of every Switchboard metric. */
export const METRIC_PREFIX = 'switchboard_';

/** Request, attempt and time-to-first-token buckets, seconds: from a cached answer to a long reasoning call. */
export const LLM_BUCKETS_SECONDS: readonly number[] = [
  0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120,
];

/** The gateway's own overhead, seconds: 50 µs to 50 ms. */
export const OVERHEAD_BUCKETS_SECONDS: readonly number[] = [
  0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
];

/** Scrape-time callbacks that refresh the gauges read from `ModelHealth`, and the in-flight count. */
export interface MetricCollectors {
  breakerState: () => void;
  cooldownUntil: () => void;
  inFlight: () => number;
}

/** Every Switchboard metric object, registered on one registry (never the global one). */
export interface MetricSet {
  requests: CellCounter<'route' | 'model' | 'provider' | 'outcome'>;
  attempts: CellCounter<'model' | 'provider' | 'outcome' | 'error_kind'>;
  fallbacks: CellCounter<'from' | 'to' | 'same_provider'>;
  retries: CellCounter<'model'>;
  skipped: CellCounter<'model' | 'reason'>;
  breakerState: Gauge<'model'>;
  breakerTransitions: CellCounter<'model' | 'from' | 'to'>;
  cooldowns: CellCounter<'model'>;
  cooldownUntil: Gauge<'model'>;
  requestDuration: CellHistogram<'route' | 'model'>;
  timeToFirstToken: CellHistogram<'route' | 'model'>;
  tokens: CellCounter<'model' | 'kind'>;
  cost: CellCounter<'model' | 'provider'>;
  wastedCost: CellCounter<'model'>;
  malformedChunks: CellCounter<'model'>;
  hedges: Counter<'model' | 'hedge'>;
  recoveries: Counter<'from' | 'to' | 'mode'>;
  budgetExhausted: Counter;
  probes: Counter<'model' | 'outcome'>;
  probeCost: Counter<'model'>;
  inFlight: Gauge;
  overhead: CellHistogram<never>;
}

/**
 * Creates the Switchboard metrics on `registry`. Names carry their units; counters end in `_total`.
 * What a request touches is made of cells (metric-cells.ts); what is rare stays plain prom-client.
 */
export function createMetricSet(registry: Registry, collectors: MetricCollectors): MetricSet {
  const registers = [registry];
  const counter = <L extends string>(name: string, help: string, labelNames: readonly L[]) =>
    new Counter<L>({ name: METRIC_PREFIX + name, help, labelNames, registers });
  const cells = <L extends string>(name: string, help: string, labelNames: readonly L[]) =>
    new CellCounter<L>({ name: METRIC_PREFIX + name, help, labelNames, registers });
  const histogram = <L extends string>(
    name: string,
    help: string,
    labelNames: readonly L[],
    buckets: readonly number[],
  ) => new CellHistogram<L>({ name: METRIC_PREFIX + name, help, labelNames, buckets, registers });

  return {
    requests: cells('requests_total', 'Requests answered or failed, by route, answering model and outcome.', [
      'route',
      'model',
      'provider',
      'outcome',
    ]),
    attempts: cells('upstream_attempts_total', 'Calls to upstream models, by outcome and error kind.', [
      'model',
      'provider',
      'outcome',
      'error_kind',
    ]),
    fallbacks: cells('fallbacks_total', 'Moves from one model of a chain to a later one.', [
      'from',
      'to',
      'same_provider',
    ]),
    retries: cells('retries_total', 'Retries scheduled on the same model.', ['model']),
    hedges: counter('hedges_total', 'Hedged attempts: `hedge` started because `model` was slow.', [
      'model',
      'hedge',
    ]),
    recoveries: counter(
      'stream_recoveries_total',
      'Streams broken after content and carried on by another model (`to` empty: none could).',
      ['from', 'to', 'mode'],
    ),
    budgetExhausted: counter(
      'retry_budget_exhausted_total',
      'Retries or hedges refused by the retry budget.',
      [],
    ),
    probes: counter(
      'health_probes_total',
      'Active health probes sent while a breaker was open, by outcome (succeeded, failed, skipped: claimed by another instance).',
      ['model', 'outcome'],
    ),
    probeCost: counter(
      'health_probe_cost_usd_total',
      'Cost of active health probes, USD, from their usage.',
      ['model'],
    ),
    skipped: cells('model_skipped_total', 'Models passed over without an attempt, by reason.', [
      'model',
      'reason',
    ]),
    breakerState: new Gauge<'model'>({
      name: `${METRIC_PREFIX}breaker_state`,
      help: 'Circuit breaker state per model: 0 closed, 1 half_open, 2 open (read at scrape time).',
      labelNames: ['model'],
      registers,
      collect: collectors.breakerState,
    }),
    breakerTransitions: cells('breaker_transitions_total', 'Circuit breaker state changes.', [
      'model',
      'from',
      'to',
    ]),
    cooldowns: cells('cooldowns_total', 'Rate-limit cooldowns started or extended (Retry-After).', ['model']),
    cooldownUntil: new Gauge<'model'>({
      name: `${METRIC_PREFIX}cooldown_until_seconds`,
      help: 'End of the active rate-limit cooldown, seconds since the epoch; 0 when none (read at scrape time).',
      labelNames: ['model'],
      registers,
      collect: collectors.cooldownUntil,
    }),
    requestDuration: histogram(
      'request_duration_seconds',
      'Whole-request latency, across retries and fallbacks, by route and answering model.',
      ['route', 'model'],
      LLM_BUCKETS_SECONDS,
    ),
    timeToFirstToken: histogram(
      'time_to_first_token_seconds',
      'Streams: time from the request start to the first content chunk passed on.',
      ['route', 'model'],
      LLM_BUCKETS_SECONDS,
    ),
    tokens: cells(
      'tokens_total',
      'Tokens reported by upstreams (prompt or completion), wasted ones included.',
      ['model', 'kind'],
    ),
    cost: cells('cost_usd_total', 'Billed cost of answers, USD, from the price table.', [
      'model',
      'provider',
    ]),
    wastedCost: cells('wasted_cost_usd_total', 'Cost of failed attempts that consumed tokens, USD.', [
      'model',
    ]),
    malformedChunks: cells(
      'stream_malformed_chunks_total',
      'Stream chunks that were not valid JSON and were dropped.',
      ['model'],
    ),
    inFlight: new Gauge({
      name: `${METRIC_PREFIX}in_flight_requests`,
      help: 'Requests the HTTP server is handling right now.',
      registers,
      collect() {
        this.set(collectors.inFlight());
      },
    }),
    overhead: new CellHistogram({
      name: `${METRIC_PREFIX}gateway_overhead_seconds`,
      help: "The gateway's own time per request: total minus time spent waiting on upstreams.",
      buckets: OVERHEAD_BUCKETS_SECONDS,
      registers,
    }),
  };
}
