import type { Price } from '../config/types.js';
import { nearestRank } from '../telemetry/attempt-window.js';
import { outageSection } from './report-outages.js';
import type {
  BaselineReport,
  Counts,
  LatencySummary,
  ModelReport,
  ProviderReport,
  Report,
  TtftSummary,
} from './report-types.js';
import { CANCELLED, isFailedAttempt, isTrip, type LedgerRows, type RequestRow } from './rows.js';

/** A model to compare with, and its price. */
export interface Baseline {
  model: string;
  price: Price;
}

/** What to summarise: the period the rows were read for, the route they were filtered on, a baseline. */
export interface ReportOptions {
  sinceMs: number;
  untilMs: number;
  route?: string;
  baseline?: Baseline;
}

interface ModelTally {
  provider: string | null;
  answers: RequestRow[];
  attempts: number;
  failed: number;
  trips: number;
  cooldowns: number;
}

/**
 * Summarises a period's rows (pure). With a route, breaker trips count for the models that route's
 * requests tried, and cooldowns for that route's requests.
 */
export function buildReport(rows: LedgerRows, options: ReportOptions): Report {
  const requests = rows.requests;
  const answered = requests.filter((r) => r.outcome === 'success');
  const cancelled = requests.filter((r) => r.outcome === CANCELLED).length;
  const errors = requests.filter((r) => r.outcome !== 'success' && r.outcome !== CANCELLED);

  const models = new Map<string, ModelTally>();
  const tally = (model: string, provider: string | null): ModelTally => {
    let t = models.get(model);
    if (t === undefined) {
      t = { provider, answers: [], attempts: 0, failed: 0, trips: 0, cooldowns: 0 };
      models.set(model, t);
    }
    t.provider ??= provider;
    return t;
  };
  let caught = 0;
  let rescued = 0;
  for (const r of requests) {
    let failed = 0;
    for (const a of r.attempts) {
      const t = tally(a.model, a.provider);
      t.attempts++;
      if (isFailedAttempt(a)) {
        t.failed++;
        failed++;
      }
    }
    if (r.outcome === 'success') {
      if (r.model !== null) tally(r.model, r.provider).answers.push(r);
      caught += failed;
      if (failed > 0) rescued++;
    }
  }

  const routed = options.route !== undefined;
  const ids = new Set(requests.map((r) => r.requestId));
  const trips = rows.breakers.filter((b) => isTrip(b) && (!routed || models.has(b.model)));
  const cooldowns = rows.cooldowns.filter((c) => !routed || ids.has(c.requestId));
  for (const b of trips) tally(b.model, null).trips++;
  for (const c of cooldowns) tally(c.model, null).cooldowns++;

  const answersUsd = roundUsd(sum(requests, (r) => r.costUsd));
  const wastedUsd = roundUsd(sum(requests, (r) => r.wastedCostUsd));
  const totalUsd = roundUsd(answersUsd + wastedUsd);
  const modelReports = modelSection(models, answered.length);
  const providers = providerSection(answered);
  return {
    period: {
      since: new Date(options.sinceMs).toISOString(),
      until: new Date(options.untilMs).toISOString(),
      route: options.route ?? null,
    },
    requests: requests.length,
    answered: answered.length,
    rescued,
    upstream_failures_caught: caught,
    errors: { total: errors.length, by_kind: countBy(errors, (r) => r.outcome) },
    cancelled,
    success_rate: requests.length - cancelled > 0 ? answered.length / (requests.length - cancelled) : null,
    latency_ms: latency(answered),
    time_to_first_token_ms: ttft(answered),
    breaker_trips: { total: trips.length, by_model: countBy(trips, (b) => b.model) },
    rate_limit_cooldowns: { total: cooldowns.length, by_model: countBy(cooldowns, (c) => c.model) },
    tokens: {
      prompt: sum(answered, (r) => r.promptTokens),
      completion: sum(answered, (r) => r.completionTokens),
    },
    cost_usd: {
      total: totalUsd,
      answers: answersUsd,
      wasted: wastedUsd,
      by_model: Object.fromEntries(
        Object.entries(modelReports)
          .filter(([, m]) => m.answers > 0)
          .map(([id, m]) => [id, m.cost_usd]),
      ),
      by_provider: Object.fromEntries(Object.entries(providers).map(([id, p]) => [id, p.cost_usd])),
    },
    models: modelReports,
    providers,
    baseline: options.baseline ? baseline(options.baseline, answered, totalUsd) : null,
    outages: outageSection(rows, routed ? new Set(models.keys()) : undefined),
  };
}

function modelSection(models: Map<string, ModelTally>, answered: number): Record<string, ModelReport> {
  const entries = [...models.entries()].sort(
    ([a, x], [b, y]) => y.answers.length - x.answers.length || y.attempts - x.attempts || a.localeCompare(b),
  );
  return Object.fromEntries(
    entries.map(([id, t]) => [
      id,
      {
        provider: t.provider,
        answers: t.answers.length,
        share: answered > 0 ? t.answers.length / answered : 0,
        attempts: t.attempts,
        failed_attempts: t.failed,
        latency_ms: latency(t.answers),
        time_to_first_token_ms: ttft(t.answers),
        prompt_tokens: sum(t.answers, (r) => r.promptTokens),
        completion_tokens: sum(t.answers, (r) => r.completionTokens),
        cost_usd: roundUsd(sum(t.answers, (r) => r.costUsd)),
        breaker_trips: t.trips,
        rate_limit_cooldowns: t.cooldowns,
      },
    ]),
  );
}

function providerSection(answered: readonly RequestRow[]): Record<string, ProviderReport> {
  const byProvider = new Map<string, RequestRow[]>();
  for (const r of answered) {
    if (r.provider === null) continue;
    const list = byProvider.get(r.provider) ?? [];
    list.push(r);
    byProvider.set(r.provider, list);
  }
  const entries = [...byProvider.entries()].sort(
    ([a, x], [b, y]) => y.length - x.length || a.localeCompare(b),
  );
  return Object.fromEntries(
    entries.map(([id, list]) => [
      id,
      {
        answers: list.length,
        share: answered.length > 0 ? list.length / answered.length : 0,
        cost_usd: roundUsd(sum(list, (r) => r.costUsd)),
      },
    ]),
  );
}

function baseline(b: Baseline, answered: readonly RequestRow[], actualUsd: number): BaselineReport {
  const cost = roundUsd(
    sum(
      answered,
      (r) =>
        (r.promptTokens * b.price.inputUsdPer1M + r.completionTokens * b.price.outputUsdPer1M) / 1_000_000,
    ),
  );
  return {
    model: b.model,
    price: { input: b.price.inputUsdPer1M, output: b.price.outputUsdPer1M },
    cost_usd: cost,
    actual_cost_usd: actualUsd,
    saving_usd: roundUsd(cost - actualUsd),
    saving_percent: cost > 0 ? Math.round((1 - actualUsd / cost) * 10_000) / 100 : null,
  };
}

function latency(rows: readonly RequestRow[]): LatencySummary | null {
  if (rows.length === 0) return null;
  const sorted = Float64Array.from(rows, (r) => r.latencyMs).sort();
  return { p50: nearestRank(sorted, 0.5), p95: nearestRank(sorted, 0.95), p99: nearestRank(sorted, 0.99) };
}

function ttft(rows: readonly RequestRow[]): TtftSummary | null {
  const values = rows.flatMap((r) => (r.timeToFirstTokenMs === null ? [] : [r.timeToFirstTokenMs]));
  if (values.length === 0) return null;
  const sorted = Float64Array.from(values).sort();
  return { p50: nearestRank(sorted, 0.5), p99: nearestRank(sorted, 0.99) };
}

/** Counts by key, largest first (ties by name). */
function countBy<T>(items: readonly T[], key: (item: T) => string): Counts {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return Object.fromEntries([...counts.entries()].sort(([a, x], [b, y]) => y - x || a.localeCompare(b)));
}

function sum<T>(items: readonly T[], value: (item: T) => number): number {
  let total = 0;
  for (const item of items) total += value(item);
  return total;
}

/** USD rounded to a trillionth, as `costUsd` does, so sums print cleanly. */
export function roundUsd(usd: number): number {
  return Math.round(usd * 1e12) / 1e12;
}
