import { describe, expect, it } from 'vitest';
import { loadDrillConfig } from './drill-config.js';
import { countFromMetadata, disagreements, percentile, routeFigures } from './figures.js';
import type { RequestOutcome, Scenario } from './types.js';

const config = loadDrillConfig(
  {
    providers: { a: { base_url: 'https://a.invalid/v1' }, b: { base_url: 'https://b.invalid/v1' } },
    models: { ma: { provider: 'a' }, mb: { provider: 'b' } },
    routes: { main: ['ma', 'mb'] },
  },
  {},
);
const downA: Scenario = {
  id: 'down:a',
  kind: 'down',
  providers: ['a'],
  description: 'a answers 503',
  changes: [],
  faultStartMs: 10_000,
  faultEndMs: 40_000,
};

function outcome(startMs: number, over: Partial<RequestOutcome> = {}): RequestOutcome {
  return {
    route: 'main',
    stream: false,
    promptTokens: 100,
    startMs,
    latencyMs: 300,
    model: 'ma',
    attempts: [{ model: 'ma', success: true, withdrawn: false }],
    skipped: [],
    costUsd: 0.001,
    retries: 0,
    hedges: 0,
    recoveries: 0,
    ...over,
  };
}

const fellBack = (startMs: number, skipped: boolean) =>
  outcome(startMs, {
    model: 'mb',
    latencyMs: 900,
    skipped: skipped ? ['ma'] : [],
    attempts: [
      ...(skipped ? [] : [{ model: 'ma', success: false, withdrawn: false }]),
      { model: 'mb', success: true, withdrawn: false },
    ],
    costUsd: 0.004,
  });

describe('route figures', () => {
  it.each([
    [[], 50, 0],
    [[5], 99, 5],
    [[1, 2, 3, 4], 50, 2],
    [[1, 2, 3, 4], 99, 4],
    [[4, 1, 3, 2], 0, 1],
  ])('percentile(%j, %d) = %d', (values, p, expected) => {
    expect(percentile(values, p)).toBe(expected);
  });

  it('answered %, errors by code, who answered, when the broken model was skipped and when it answered again', () => {
    const outcomes = [
      outcome(0),
      fellBack(12_000, false),
      fellBack(14_000, true),
      outcome(20_000, { model: undefined, errorCode: 'all_models_failed', attempts: [], costUsd: 0 }),
      fellBack(42_000, true),
      outcome(46_000),
    ];
    const f = routeFigures(config, downA, 'main', outcomes);
    expect(f).toMatchObject({
      requests: 6,
      answered: 5,
      errors: { all_models_failed: 1 },
      answeredBy: { ma: 2, mb: 3 },
      attemptsByModel: { ma: 3, mb: 3 },
      brokenModels: ['ma'],
      skippedAfterMs: 4_000,
      returnedAfterMs: 6_000,
      latencyP50Ms: 300,
      latencyP99Ms: 900,
    });
    expect(f.availabilityPct).toBeCloseTo(83.33, 2);
    expect(f.costPer1kUsd).toBeCloseTo((0.001 * 2 + 0.004 * 3) * (1000 / 6), 9);
  });

  it('skip and return times do not apply when the route never needed a broken model', () => {
    const f = routeFigures(config, { ...downA, providers: ['b'] }, 'main', [outcome(0), outcome(20_000)]);
    expect(f.skippedAfterMs).toBeNull();
    expect(f.returnedAfterMs).toBeNull();
  });

  it('the simulators and the metadata agree when withdrawn attempts may or may not have arrived', () => {
    const metadata = countFromMetadata([
      outcome(0, {
        attempts: [
          { model: 'ma', success: true, withdrawn: false },
          { model: 'mb', success: false, withdrawn: true },
        ],
      }),
    ]);
    expect(disagreements({ requests: { ma: 1 }, answered: { ma: 1 } }, metadata)).toEqual([]);
    expect(disagreements({ requests: { ma: 1, mb: 1 }, answered: { ma: 1 } }, metadata)).toEqual([]);
    expect(disagreements({ requests: { ma: 1, mb: 1 }, answered: { ma: 1, mb: 1 } }, metadata)).toEqual([]);
    expect(disagreements({ requests: { ma: 2 }, answered: { ma: 1 } }, metadata)).toEqual([
      'ma: simulators received 2 requests, the metadata shows 1 attempts',
    ]);
    expect(disagreements({ requests: { ma: 1 }, answered: {} }, metadata)).toEqual([
      'ma: simulators answered 0 requests, the metadata shows 1 answers',
    ]);
  });
});
