import { describe, expect, it } from 'vitest';
import { runDrill } from '../../src/drill/index.js';

const TWO_PROVIDERS = {
  providers: {
    alpha: { base_url: 'https://alpha.invalid/v1', api_key: '${DRILL_TEST_UNSET_KEY}' },
    beta: { base_url: 'https://beta.invalid/v1' },
  },
  models: {
    'alpha-chat': { provider: 'alpha', model: 'alpha-upstream-name', price: { input: 1, output: 4 } },
    'beta-chat': { provider: 'beta', price: { input: 2, output: 8 } },
  },
  routes: { main: ['alpha-chat', 'beta-chat'] },
  retry: { max_retries: 1, base_delay_ms: 100, max_delay_ms: 1000 },
  circuit_breaker: { failure_threshold: 2, window_ms: 10_000, cooldown_ms: 5_000 },
  timeouts: { attempt_ms: 4_000, first_byte_ms: 3_000, total_ms: 12_000 },
};

describe('drill figures', () => {
  it('match what the simulators saw, scenario by scenario (request counts per model)', async () => {
    const report = await runDrill({ config: TWO_PROVIDERS, env: {}, requests: 10, maxSeconds: 15 });
    expect(report.results.map((r) => r.scenario.id)).toEqual([
      'baseline',
      'down:alpha',
      'down:beta',
      'hang:alpha',
      'hang:beta',
      'rate-limit:alpha',
      'rate-limit:beta',
      'stream-cut:alpha',
      'flap:alpha',
      'pair:alpha+beta',
    ]);
    for (const result of report.results) {
      const id = result.scenario.id;
      const figures = result.routes[0];
      expect({ id, requests: result.simulators.requests }).toEqual({
        id,
        requests: result.metadata.requests,
      });
      expect({ id, answered: result.simulators.answered }).toEqual({
        id,
        answered: result.metadata.answered,
      });
      expect(result.disagreements).toEqual([]);
      expect(result.stopped).toBe(0);
      // Attempts per model in the route's figures are the metadata's: the simulators' less the probes.
      const attempts: Record<string, number> = { ...figures?.attemptsByModel };
      for (const [model, n] of Object.entries(result.probes.requests))
        attempts[model] = (attempts[model] ?? 0) + n;
      expect({ id, attempts }).toEqual({ id, attempts: result.simulators.requests });
    }
    const byId = new Map(report.results.map((r) => [r.scenario.id, r]));
    const baseline = byId.get('baseline');
    expect(baseline?.routes[0]?.answeredBy).toEqual({ 'alpha-chat': 10 });
    expect(baseline?.simulators.answered).toEqual({ 'alpha-chat': 10 });

    const down = byId.get('down:alpha')?.routes[0];
    expect(down?.availabilityPct).toBe(100);
    expect(down?.answeredBy['beta-chat']).toBeGreaterThan(0);
    expect(down?.brokenModels).toEqual(['alpha-chat']);
    expect(down?.skippedAfterMs).toBeTypeOf('number');
    // Cost per 1,000 requests rises when the dearer fallback answers.
    expect(down?.costPer1kUsd).toBeGreaterThan(baseline?.routes[0]?.costPer1kUsd ?? 0);

    const dark = byId.get('pair:alpha+beta')?.routes[0];
    expect(dark?.availabilityPct).toBeLessThan(100);
    expect(Object.keys(dark?.errors ?? {})).not.toEqual([]);
    expect(report.belowTarget.map((b) => b.scenario)).toContain('pair:alpha+beta');
  }, 60_000);
});
