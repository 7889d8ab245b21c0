/**
 * The fallback report: what a period of traffic looked like, from the ledger's rows. snake_case, as
 * `GET /report` and `switchboard report --format json` print it. Money is USD; times are ms.
 */

/** Nearest-rank latency percentiles, ms. */
export interface LatencySummary {
  p50: number;
  p95: number;
  p99: number;
}

/** Nearest-rank time-to-first-token percentiles, ms (streams only). */
export interface TtftSummary {
  p50: number;
  p99: number;
}

/** Counts by model (or another key), largest first. */
export type Counts = Record<string, number>;

/** One model: the answers it gave and the attempts it got. */
export interface ModelReport {
  provider: string | null;
  /** Requests this model answered. */
  answers: number;
  /** Its share of all answers, 0..1. */
  share: number;
  /** Calls made to it, and how many of them failed (errors and timeouts). */
  attempts: number;
  failed_attempts: number;
  latency_ms: LatencySummary | null;
  time_to_first_token_ms: TtftSummary | null;
  /** Tokens of the answers it gave. */
  prompt_tokens: number;
  completion_tokens: number;
  /** Billed cost of the answers it gave. */
  cost_usd: number;
  breaker_trips: number;
  rate_limit_cooldowns: number;
}

/** One provider: the answers its models gave. */
export interface ProviderReport {
  answers: number;
  share: number;
  cost_usd: number;
}

/** What the same answers would have cost on one model. */
export interface BaselineReport {
  model: string;
  /** USD per 1M tokens. */
  price: { input: number; output: number };
  /** The answers' prompt and completion tokens at the baseline's price. */
  cost_usd: number;
  /** What was spent: answers plus wasted attempts. */
  actual_cost_usd: number;
  saving_usd: number;
  /** (baseline − actual) / baseline, in percent, 2 decimals; null when the baseline costs nothing. */
  saving_percent: number | null;
}

/** One outage of a model in the period: first failure, breaker open, breaker close, first answer again. */
export interface OutageReport {
  model: string;
  down_at: string;
  detected_at: string;
  /** null: still open at the end of the period. */
  recovered_at: string | null;
  /** null: no answer from it yet. */
  traffic_back_at: string | null;
  /** First failure → breaker open. */
  detection_ms: number;
  /** Breaker close → first answer (how soon traffic came back once it was usable). */
  return_ms: number | null;
  /** First failure → first answer again. */
  outage_ms: number | null;
}

/** The whole report of a period. */
export interface Report {
  period: { since: string; until: string; route: string | null };
  /** Requests that reached the engine. */
  requests: number;
  /** Requests answered. */
  answered: number;
  /** Answered although at least one attempt failed: what the fallbacks and retries saved. */
  rescued: number;
  /** Failed attempts (errors, timeouts) on requests that were still answered. */
  upstream_failures_caught: number;
  /** Requests that ended in an error the caller saw, by code. Cancellations are not errors. */
  errors: { total: number; by_kind: Counts };
  /** Requests the caller abandoned (closed the connection, aborted). */
  cancelled: number;
  /** answered / (requests − cancelled), 0..1; null when there is nothing to divide. */
  success_rate: number | null;
  /** Of answered requests. */
  latency_ms: LatencySummary | null;
  /** Of answered streams. */
  time_to_first_token_ms: TtftSummary | null;
  /** Breakers that opened (closed → open, or a failed probe: half_open → open). */
  breaker_trips: { total: number; by_model: Counts };
  /** Cooldowns started by a rate limit's Retry-After. */
  rate_limit_cooldowns: { total: number; by_model: Counts };
  tokens: { prompt: number; completion: number };
  cost_usd: {
    /** answers + wasted. */
    total: number;
    answers: number;
    /** Tokens billed on attempts that did not give the answer (broken streams, lost hedges). */
    wasted: number;
    by_model: Counts;
    by_provider: Counts;
  };
  models: Record<string, ModelReport>;
  providers: Record<string, ProviderReport>;
  baseline: BaselineReport | null;
  /** Outages of the period's models, in order of detection. */
  outages: OutageReport[];
}
