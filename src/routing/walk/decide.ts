import type { Random } from '../../common/clock.js';
import type { RetryPolicy } from '../../config/types.js';
import type { UpstreamError } from '../../providers/upstream-error.js';
import { backoffDelayMs } from '../../resilience/backoff.js';

export interface DecisionInput {
  error: UpstreamError;
  /** Retries already made on this model in this request. */
  retry: number;
  policy: RetryPolicy;
  nowMs: number;
  deadlineMs: number;
  /** Parsed from the failed answer's Retry-After family of headers, if any. */
  retryAfterMs: number | undefined;
  /** The model's breaker is open after this failure. */
  breakerOpen: boolean;
  /** A later model of the chain can take a request right now. */
  otherModelAvailable: boolean;
  fallbackOnContentPolicy: boolean;
  /**
   * The route's `wait_for_preferred_ms`: a Retry-After up to this long is waited out on this model
   * even when a later one could answer now (0: fall to the later one at once).
   */
  waitForPreferredMs?: number;
  random: Random;
}

export type Decision =
  | { action: 'retry'; delayMs: number; reason: string }
  | { action: 'fallback'; reason: string }
  | { action: 'fail'; reason: string };

/**
 * What to do after one failed attempt. Pure: every input is a parameter.
 * - client errors go straight back; content-policy refusals too unless the route opts in;
 * - provider errors, context-length errors and timeouts (a model that hung once will hang again) fall back at once;
 * - transient errors retry with full-jitter backoff while retries and time remain;
 * - a Retry-After is honoured by waiting when it is within `maxRetryAfterMs`, ends before the
 *   deadline, and either no other model can answer now or it is within the route's
 *   `waitForPreferredMs` (the earlier model is the preferred one); otherwise the model is skipped
 *   (it cools down).
 */
export function decideAfterFailure(input: DecisionInput): Decision {
  const { error, policy } = input;
  switch (error.kind) {
    case 'client':
      return { action: 'fail', reason: 'client error: not retried, not failed over' };
    case 'content_policy':
      return input.fallbackOnContentPolicy
        ? { action: 'fallback', reason: 'content policy (route falls back)' }
        : { action: 'fail', reason: 'content policy refusal' };
    case 'context_length':
      return { action: 'fallback', reason: 'context length exceeded' };
    case 'provider':
      return { action: 'fallback', reason: `provider error ${error.status ?? ''}`.trim() };
    default:
      break;
  }
  if (error.code === 'timeout') return { action: 'fallback', reason: 'timed out' };
  if (input.retry >= policy.maxRetries)
    return { action: 'fallback', reason: `${describe(error)}; retries exhausted` };
  if (input.breakerOpen) return { action: 'fallback', reason: `${describe(error)}; circuit opened` };

  if (input.retryAfterMs !== undefined) {
    const wait = input.retryAfterMs;
    const preferred = wait <= (input.waitForPreferredMs ?? 0);
    if (input.otherModelAvailable && !preferred)
      return { action: 'fallback', reason: `asked to wait ${wait} ms; another model can answer` };
    if (wait > policy.maxRetryAfterMs)
      return { action: 'fallback', reason: `asked to wait ${wait} ms (over max_retry_after_ms)` };
    if (input.nowMs + wait >= input.deadlineMs)
      return { action: 'fallback', reason: `asked to wait ${wait} ms (past the deadline)` };
    if (input.otherModelAvailable)
      return {
        action: 'retry',
        delayMs: wait,
        reason: `${describe(error)}; Retry-After ${wait} ms (waiting for the preferred model)`,
      };
    return { action: 'retry', delayMs: wait, reason: `${describe(error)}; Retry-After ${wait} ms` };
  }

  const delayMs = backoffDelayMs(input.retry, policy, input.random);
  if (input.nowMs + delayMs >= input.deadlineMs)
    return { action: 'fallback', reason: `${describe(error)}; no time to retry` };
  return { action: 'retry', delayMs, reason: `${describe(error)}; backoff` };
}

function describe(error: UpstreamError): string {
  return error.status ? `HTTP ${error.status}` : error.code;
}
