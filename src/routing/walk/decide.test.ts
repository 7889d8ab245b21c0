import { describe, expect, it } from 'vitest';
import { DEFAULTS } from '../../config/defaults.js';
import { UpstreamError } from '../../providers/upstream-error.js';
import { type DecisionInput, decideAfterFailure } from './decide.js';

const rateLimited = new UpstreamError({ kind: 'rate_limited', code: 'http_429', status: 429 });

const input = (over: Partial<DecisionInput>): DecisionInput => ({
  error: rateLimited,
  retry: 0,
  policy: DEFAULTS.retry,
  nowMs: 0,
  deadlineMs: 120_000,
  retryAfterMs: undefined,
  breakerOpen: false,
  otherModelAvailable: true,
  fallbackOnContentPolicy: false,
  random: () => 0.5,
  ...over,
});

describe('decideAfterFailure: waiting for the preferred model', () => {
  it.each<[string, Partial<DecisionInput>, string, number | undefined]>([
    ['no option: another model answers', { retryAfterMs: 1_000 }, 'fallback', undefined],
    [
      'option 0: another model answers',
      { retryAfterMs: 1_000, waitForPreferredMs: 0 },
      'fallback',
      undefined,
    ],
    ['within the option: waits', { retryAfterMs: 1_000, waitForPreferredMs: 1_000 }, 'retry', 1_000],
    ['a zero Retry-After: retries at once', { retryAfterMs: 0, waitForPreferredMs: 1_000 }, 'retry', 0],
    [
      'over the option: falls back',
      { retryAfterMs: 2_000, waitForPreferredMs: 1_000 },
      'fallback',
      undefined,
    ],
    [
      'within the option but over max_retry_after_ms',
      { retryAfterMs: 1_000, waitForPreferredMs: 5_000, policy: { ...DEFAULTS.retry, maxRetryAfterMs: 500 } },
      'fallback',
      undefined,
    ],
    [
      'within the option but past the deadline',
      { retryAfterMs: 1_000, waitForPreferredMs: 5_000, nowMs: 119_500 },
      'fallback',
      undefined,
    ],
    ['retries exhausted', { retryAfterMs: 500, waitForPreferredMs: 1_000, retry: 2 }, 'fallback', undefined],
    [
      'breaker opened',
      { retryAfterMs: 500, waitForPreferredMs: 1_000, breakerOpen: true },
      'fallback',
      undefined,
    ],
    [
      'no other model: waits as before, whatever the option',
      { retryAfterMs: 5_000, waitForPreferredMs: 0, otherModelAvailable: false },
      'retry',
      5_000,
    ],
  ])('%s', (_name, over, action, delayMs) => {
    const decision = decideAfterFailure(input(over));
    expect(decision.action).toBe(action);
    if (decision.action === 'retry') expect(decision.delayMs).toBe(delayMs);
  });

  it('says why it waits', () => {
    expect(decideAfterFailure(input({ retryAfterMs: 800, waitForPreferredMs: 1_000 }))).toEqual({
      action: 'retry',
      delayMs: 800,
      reason: 'HTTP 429; Retry-After 800 ms (waiting for the preferred model)',
    });
  });

  it('a provider error never waits, whatever the option', () => {
    const error = new UpstreamError({ kind: 'provider', code: 'http_501', status: 501 });
    expect(decideAfterFailure(input({ error, retryAfterMs: 100, waitForPreferredMs: 1_000 })).action).toBe(
      'fallback',
    );
  });
});
