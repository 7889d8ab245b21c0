import type { Usage } from '../providers/types.js';
import type { ErrorKind } from '../providers/upstream-error.js';

export type AttemptOutcome = 'success' | 'error' | 'timeout' | 'cancelled';

/** One call to one upstream. */
export interface AttemptRecord {
  model: string;
  provider: string;
  outcome: AttemptOutcome;
  /** HTTP status from the upstream, when it answered. */
  status?: number;
  errorKind?: ErrorKind;
  /** Stable detail: `http_503`, `timeout`, `connect_failed`, `stream_broken`, … */
  errorCode?: string;
  /** What the provider said (its message), never our secrets. */
  message?: string;
  durationMs: number;
  /** Time spent waiting (backoff or Retry-After) before this attempt. */
  waitBeforeMs: number;
  /** Was this the single half-open probe of an open breaker? */
  probe?: boolean;
  /** Started in parallel with a slow attempt (a hedge). */
  hedge?: boolean;
}

/** A stream that broke after content reached the caller, and who carried it on. */
export interface StreamRecovery {
  from: string;
  to?: string;
  /** `prefill`: the partial answer sent as an assistant message to continue; `restart`: an instruction quoting it. */
  mode?: 'prefill' | 'restart';
  /** Characters the caller had received when the stream broke. */
  partialChars: number;
  reason: string;
}

/** `unsupported`: the model's wire cannot honour a field of the request (`detail` names it). */
export type SkipReason = 'breaker_open' | 'cooling_down' | 'rate_limit' | 'context_window' | 'unsupported';

export interface SkippedModel {
  model: string;
  reason: SkipReason;
  /** For breaker/cooldown: when the model may be tried again (epoch ms). */
  untilMs?: number;
  /** For `unsupported`: which field, and why. */
  detail?: string;
}

/** Everything known about how a request was answered (or not). */
export interface ResultMetadata {
  requestId: string;
  /** What was asked for when it is not a chat completion (absent for chat). */
  operation?: 'embeddings';
  route?: string;
  /** The chain that was walked, in order. */
  chain: readonly string[];
  /** The configured model that answered. */
  model?: string;
  provider?: string;
  attempts: AttemptRecord[];
  skipped: SkippedModel[];
  /** Distinct models tried after the first. */
  fallbacks: number;
  /** Attempts that repeated a model already tried. */
  retries: number;
  /** Attempts started in parallel with a slow one. */
  hedges: number;
  /** Mid-stream recoveries, in order. */
  recoveries: StreamRecovery[];
  latencyMs: number;
  /** Streams: from the request's start to the first content chunk passed on. */
  timeToFirstTokenMs?: number;
  usage?: Usage;
  /** Billed cost of the answer, from the price table. */
  costUsd: number;
  /** Cost of failed attempts that consumed tokens (e.g. a stream that broke after usage was reported). */
  wastedCostUsd: number;
  /** Cost of hedges that lost but had already produced billed tokens (part of wastedCostUsd). */
  hedgeCostUsd: number;
  /** Stream chunks that were not valid JSON and were dropped. */
  malformedChunks: number;
}

/** The metadata of a request before its first attempt: nothing tried, nothing spent. */
export function freshMetadata(
  requestId: string,
  chain: readonly string[],
  route: string | undefined,
): ResultMetadata {
  return {
    requestId,
    route,
    chain,
    attempts: [],
    skipped: [],
    fallbacks: 0,
    retries: 0,
    hedges: 0,
    recoveries: [],
    latencyMs: 0,
    costUsd: 0,
    wastedCostUsd: 0,
    hedgeCostUsd: 0,
    malformedChunks: 0,
  };
}
