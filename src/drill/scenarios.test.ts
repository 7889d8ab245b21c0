import { describe, expect, it } from 'vitest';
import { loadDrillConfig } from './drill-config.js';
import { allScenarios, ScenarioSelectionError, selectScenarios } from './scenarios.js';
import { timelineFor } from './timeline.js';

const config = loadDrillConfig(
  {
    providers: {
      a: { base_url: 'https://a.invalid/v1' },
      b: { base_url: 'https://b.invalid/v1' },
      c: { base_url: 'https://c.invalid/v1' },
    },
    models: { ma: { provider: 'a' }, mb: { provider: 'b' }, mc: { provider: 'c' } },
    routes: { one: ['ma', 'mb'], two: ['mc', 'mb'] },
    circuit_breaker: { cooldown_ms: 30_000 },
  },
  {},
);
const timeline = timelineFor(config, ['one', 'two']);
const scenarios = allScenarios({ config, routes: ['one', 'two'], providers: ['a', 'b', 'c'], timeline });

describe('drill scenarios', () => {
  it('a timeline long enough for a breaker to open, be probed, and let traffic return', () => {
    // fault: max(2 × 30 s cooldown, 60 s attempt + 30 s cooldown); tail: the longest a breaker can stay
    // open after the heal (min(2 cooldowns, max_cooldown_ms: 30 s by default)) + 10 s.
    expect(timeline).toEqual({ warmMs: 10_000, faultMs: 90_000, tailMs: 40_000, spanMs: 140_000 });
  });

  it('baseline, each provider down, hanging and rate limited, each primary cut and flapping, pairs sharing a route first', () => {
    expect(scenarios.map((s) => s.id)).toEqual([
      'baseline',
      'down:a',
      'down:b',
      'down:c',
      'hang:a',
      'hang:b',
      'hang:c',
      'rate-limit:a',
      'rate-limit:b',
      'rate-limit:c',
      'stream-cut:a',
      'stream-cut:c',
      'flap:a',
      'flap:c',
      'pair:a+b',
      'pair:b+c',
      'pair:a+c',
    ]);
    const flap = scenarios.find((s) => s.id === 'flap:a');
    expect(flap?.changes).toEqual([
      { atMs: 10_000, provider: 'a', fault: '503' },
      { atMs: 40_000, provider: 'a', fault: 'ok' },
      { atMs: 70_000, provider: 'a', fault: '503' },
      { atMs: 100_000, provider: 'a', fault: 'ok' },
    ]);
    expect(scenarios.find((s) => s.id === 'rate-limit:b')?.changes[0]?.fault).toBe('429:5');
  });

  it.each([
    ['down', ['baseline', 'down:a', 'down:b', 'down:c']],
    ['hang:b, pair:a+c', ['baseline', 'hang:b', 'pair:a+c']],
    ['all', scenarios.map((s) => s.id)],
    [undefined, scenarios.map((s) => s.id)],
  ])('selects %s (the baseline always)', (list, ids) => {
    expect(selectScenarios(scenarios, list).map((s) => s.id)).toEqual(ids);
  });

  it('names what exists when a scenario is unknown', () => {
    expect(() => selectScenarios(scenarios, 'down:z')).toThrow(ScenarioSelectionError);
    expect(() => selectScenarios(scenarios, 'down:z')).toThrow(
      /unknown scenario "down:z": choose kinds .* or ids \(baseline, down:a/,
    );
  });
});
