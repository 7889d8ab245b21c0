import { describe, expect, it } from 'vitest';
import { loadDrillConfig } from './drill-config.js';
import { findingsOf } from './findings.js';
import { defaultPromptSizes } from './prompt-mix.js';
import type { RouteFigures, Scenario, ScenarioResult } from './types.js';

const config = loadDrillConfig(
  {
    providers: {
      a: { base_url: 'https://a.invalid/v1' },
      b: { base_url: 'https://b.invalid/v1' },
      c: { base_url: 'https://c.invalid/v1' },
    },
    models: { ma: { provider: 'a' }, mb: { provider: 'b' }, mc: { provider: 'c' } },
    routes: { fast: { models: ['ma', 'mb', 'mc'], hedge: { after_ms: 500 } } },
  },
  {},
);

function result(
  id: string,
  kind: Scenario['kind'],
  over: Partial<RouteFigures>,
  budgetRefusals = 0,
): ScenarioResult {
  const figures: RouteFigures = {
    route: 'fast',
    requests: 40,
    answered: 40,
    availabilityPct: 100,
    errors: {},
    latencyP50Ms: 300,
    latencyP99Ms: 600,
    costPer1kUsd: 0,
    answeredBy: {},
    attemptsByModel: {},
    retries: 0,
    hedges: 0,
    recoveries: 0,
    brokenModels: [],
    ...over,
  };
  const scenario: Scenario = {
    id,
    kind,
    providers: [],
    description: id === 'baseline' ? 'every provider healthy' : `${id} happens`,
    changes: [],
    faultStartMs: 0,
    faultEndMs: 0,
  };
  const counts = { requests: {}, answered: {} };
  return {
    scenario,
    routes: [figures],
    simulators: counts,
    metadata: counts,
    probes: counts,
    disagreements: [],
    budgetRefusals,
    stopped: 0,
  };
}

const texts = (results: ScenarioResult[]) =>
  findingsOf({
    config,
    routes: ['fast'],
    prompts: defaultPromptSizes(),
    results,
    minAvailabilityPct: 99.9,
    notSimulated: [],
  }).map((f) => `${f.kind}: ${f.text}`);

describe('findings from the scenarios', () => {
  it('a route below target, a stretched p99, a hedge that never fired, a retry budget that refused', () => {
    const found = texts([
      result('baseline', 'baseline', {}),
      result('hang:a', 'hang', { latencyP99Ms: 15_300 }),
      result(
        'pair:a+b',
        'pair',
        { answered: 30, availabilityPct: 75, errors: { all_models_failed: 8, deadline_exceeded: 2 } },
        3,
      ),
    ]);
    expect(found).toEqual([
      'below-target: `fast` answered 75.0 % (30/40) when pair:a+b happens: all_models_failed ×8, deadline_exceeded ×2',
      'slow: `fast`: p99 latency 15.3 s (baseline 0.6 s) when hang:a happens: requests wait out a timeout before falling back',
      'idle-hedge: `fast`: its hedge never fired in 3 scenarios, hanging providers included: it never had room to act',
      'idle-retry: pair:a+b: the retry budget refused 3 retries or hedges (they became fallbacks) when pair:a+b happens',
    ]);
  });

  it('nothing to say when the route held and its hedge acted', () => {
    expect(
      texts([result('baseline', 'baseline', { hedges: 2 }), result('down:a', 'down', { latencyP99Ms: 900 })]),
    ).toEqual([]);
  });
});
