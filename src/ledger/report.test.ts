import { describe, expect, it } from 'vitest';
import { attempt, cooldown, failed, request, trip } from '../../test/support/ledger-rows.js';
import { buildReport, roundUsd } from './report.js';
import type { LedgerRows } from './rows.js';

const PERIOD = { sinceMs: 0, untilMs: 86_400_000 };

function rows(overrides: Partial<LedgerRows> = {}): LedgerRows {
  return { requests: [], breakers: [], cooldowns: [], ...overrides };
}

describe('buildReport', () => {
  it('an empty period', () => {
    const report = buildReport(rows(), PERIOD);
    expect(report).toMatchObject({
      period: { since: '1970-01-01T00:00:00.000Z', until: '1970-01-02T00:00:00.000Z', route: null },
      requests: 0,
      answered: 0,
      success_rate: null,
      latency_ms: null,
      time_to_first_token_ms: null,
      cost_usd: { total: 0, answers: 0, wasted: 0, by_model: {}, by_provider: {} },
      models: {},
      baseline: null,
    });
  });

  it('counts caught failures, rescued requests, user-visible errors by kind and cancellations', () => {
    const report = buildReport(
      rows({
        requests: [
          request([attempt('a')]),
          request([failed('a'), attempt('b')]),
          request([failed('a'), failed('a'), attempt('a', { outcome: 'cancelled' }), attempt('b')]),
          request([failed('a'), failed('b')], { outcome: 'all_models_failed' }),
          request([failed('a', 400)], { outcome: 'upstream_client_error' }),
          request([failed('a'), failed('b')], { outcome: 'all_models_failed' }),
          request([attempt('a', { outcome: 'cancelled' })], { outcome: 'cancelled' }),
        ],
      }),
      PERIOD,
    );
    expect(report).toMatchObject({
      requests: 7,
      answered: 3,
      rescued: 2,
      upstream_failures_caught: 3,
      errors: { total: 3, by_kind: { all_models_failed: 2, upstream_client_error: 1 } },
      cancelled: 1,
      success_rate: 0.5,
    });
    expect(Object.keys(report.errors.by_kind)).toEqual(['all_models_failed', 'upstream_client_error']);
    expect(report.models.a).toMatchObject({ answers: 1, attempts: 9, failed_attempts: 6 });
    expect(report.models.b).toMatchObject({ answers: 2, attempts: 4, failed_attempts: 2 });
  });

  it('latency and time to first token percentiles (nearest rank) of answered requests, overall and per model', () => {
    const requests = [];
    for (let i = 1; i <= 100; i++) {
      requests.push(
        request([attempt(i % 2 === 0 ? 'even' : 'odd')], { latencyMs: i, timeToFirstTokenMs: i / 10 }),
      );
    }
    requests.push(request([failed('odd')], { outcome: 'all_models_failed', latencyMs: 10_000 }));
    requests.push(request([attempt('odd')], { latencyMs: 0.5, timeToFirstTokenMs: null }));
    const report = buildReport(rows({ requests }), PERIOD);
    expect(report.latency_ms).toEqual({ p50: 50, p95: 95, p99: 99 });
    expect(report.time_to_first_token_ms).toEqual({ p50: 5, p99: 9.9 });
    expect(report.models.even?.latency_ms).toEqual({ p50: 50, p95: 96, p99: 100 });
    expect(report.models.odd?.latency_ms).toEqual({ p50: 49, p95: 95, p99: 99 });
    expect(report.models.odd?.time_to_first_token_ms).toEqual({ p50: 4.9, p99: 9.9 });
  });

  it('costs per model and per provider, wasted attempts, shares, and a baseline saving', () => {
    const report = buildReport(
      rows({
        requests: [
          request([attempt('cheap')], { promptTokens: 1_000, completionTokens: 500, costUsd: 0.0002 }),
          request([attempt('cheap')], { promptTokens: 3_000, completionTokens: 1_500, costUsd: 0.0006 }),
          request([failed('dear'), attempt('mid')], {
            promptTokens: 2_000,
            completionTokens: 1_000,
            costUsd: 0.003,
            wastedCostUsd: 0.0004,
          }),
          request([failed('dear'), failed('mid')], { outcome: 'stream_interrupted', wastedCostUsd: 0.0001 }),
        ],
      }),
      { ...PERIOD, baseline: { model: 'dear', price: { inputUsdPer1M: 2.5, outputUsdPer1M: 10 } } },
    );
    expect(report.tokens).toEqual({ prompt: 6_000, completion: 3_000 });
    expect(report.cost_usd).toEqual({
      total: 0.0043,
      answers: 0.0038,
      wasted: 0.0005,
      by_model: { cheap: 0.0008, mid: 0.003 },
      by_provider: { 'p-cheap': 0.0008, 'p-mid': 0.003 },
    });
    expect(report.models.cheap).toMatchObject({ answers: 2, share: 2 / 3, prompt_tokens: 4_000 });
    expect(report.providers).toEqual({
      'p-cheap': { answers: 2, share: 2 / 3, cost_usd: 0.0008 },
      'p-mid': { answers: 1, share: 1 / 3, cost_usd: 0.003 },
    });
    // 6000 × 2.5 + 3000 × 10 = 45000 µUSD = 0.045; spent 0.0043; saving 0.0407 = 90.44 %.
    expect(report.baseline).toEqual({
      model: 'dear',
      price: { input: 2.5, output: 10 },
      cost_usd: 0.045,
      actual_cost_usd: 0.0043,
      saving_usd: 0.0407,
      saving_percent: 90.44,
    });
  });

  it('a baseline that costs nothing has no saving percent', () => {
    const report = buildReport(rows({ requests: [request([attempt('a')], { costUsd: 0.1 })] }), {
      ...PERIOD,
      baseline: { model: 'free', price: { inputUsdPer1M: 0, outputUsdPer1M: 0 } },
    });
    expect(report.baseline).toMatchObject({ cost_usd: 0, saving_usd: -0.1, saving_percent: null });
  });

  it('breaker trips (to open) and cooldowns per model; with a route, only those of its requests and models', () => {
    const mine = request([failed('a'), attempt('b')], { route: 'main' });
    const data = rows({
      requests: [mine],
      breakers: [
        trip('a'),
        trip('a', 2_000, 'open', 'half_open'),
        trip('a', 3_000, 'half_open', 'open'),
        trip('a', 4_000, 'half_open', 'closed'),
        trip('z'),
      ],
      cooldowns: [cooldown('b', mine.requestId), cooldown('z', 'someone-else')],
    });
    const all = buildReport(data, PERIOD);
    expect(all.breaker_trips).toEqual({ total: 3, by_model: { a: 2, z: 1 } });
    expect(all.rate_limit_cooldowns).toEqual({ total: 2, by_model: { b: 1, z: 1 } });
    expect(all.models.a).toMatchObject({ breaker_trips: 2, rate_limit_cooldowns: 0 });
    expect(all.models.z).toMatchObject({ provider: null, answers: 0, attempts: 0, breaker_trips: 1 });
    const routed = buildReport(data, { ...PERIOD, route: 'main' });
    expect(routed.period.route).toBe('main');
    expect(routed.breaker_trips).toEqual({ total: 2, by_model: { a: 2 } });
    expect(routed.rate_limit_cooldowns).toEqual({ total: 1, by_model: { b: 1 } });
  });

  it('rounds dollars to a trillionth', () => {
    expect(roundUsd(0.1 + 0.2)).toBe(0.3);
    expect(roundUsd(0.000032000000000000005)).toBe(0.000032);
  });
});
