import { describe, expect, it } from 'vitest';
import { formatDrill } from './format-drill.js';
import type { DrillReport, RouteFigures, Scenario, ScenarioResult } from './types.js';

const figures = (over: Partial<RouteFigures>): RouteFigures => ({
  route: 'main',
  requests: 10,
  answered: 10,
  availabilityPct: 100,
  errors: {},
  latencyP50Ms: 300,
  latencyP99Ms: 600,
  costPer1kUsd: 1,
  answeredBy: { ma: 10 },
  attemptsByModel: { ma: 10 },
  retries: 0,
  hedges: 0,
  recoveries: 0,
  brokenModels: [],
  skippedAfterMs: null,
  returnedAfterMs: null,
  ...over,
});
const scenario = (id: string, kind: Scenario['kind'], description: string): Scenario => ({
  id,
  kind,
  providers: kind === 'baseline' ? [] : ['a'],
  description,
  changes: [],
  faultStartMs: 10_000,
  faultEndMs: 40_000,
});
const result = (s: Scenario, f: RouteFigures): ScenarioResult => ({
  scenario: s,
  routes: [f],
  simulators: { requests: f.attemptsByModel, answered: f.answeredBy },
  metadata: { requests: f.attemptsByModel, answered: f.answeredBy },
  probes: { requests: {}, answered: {} },
  disagreements: [],
  budgetRefusals: 0,
  stopped: 0,
});

const REPORT: DrillReport = {
  findings: [
    {
      kind: 'shared-provider',
      severity: 'warn',
      route: 'main',
      text: '`main`: `ma` and `mb` are both on `a`',
    },
  ],
  results: [
    result(scenario('baseline', 'baseline', 'every provider healthy'), figures({})),
    result(
      scenario('down:a', 'down', 'a answers 503 for 30 s'),
      figures({
        answered: 9,
        availabilityPct: 90,
        errors: { all_models_failed: 1 },
        latencyP99Ms: 1_800,
        costPer1kUsd: 4,
        answeredBy: { mb: 9 },
        brokenModels: ['ma'],
        skippedAfterMs: 2_000,
        returnedAfterMs: undefined,
      }),
    ),
  ],
  routes: ['main'],
  prompts: { source: 'default', count: 100 },
  requestsPerRoute: 10,
  speedup: 4,
  timeline: { warmMs: 10_000, faultMs: 30_000, tailMs: 40_000, spanMs: 80_000 },
  minAvailabilityPct: 99.9,
  belowTarget: [{ scenario: 'down:a', route: 'main', availabilityPct: 90 }],
  realSeconds: 20,
};

describe('formatDrill', () => {
  it('table: findings first, then one table per scenario against the baseline', () => {
    const text = formatDrill(REPORT, 'table');
    expect(text.startsWith('Switchboard drill\n\nFindings\n  ! main: ma and mb are both on a\n')).toBe(true);
    expect(text).toContain('1 route × scenario results below 99.9 %: the drill fails.');
    const row = text.split('\n').find((l) => l.startsWith('main') && l.includes('90.0 %'));
    expect(row?.split(/\s{2,}/)).toEqual([
      'main',
      '90.0 %',
      'all_models_failed 1',
      '0.30 s',
      '1.80 s ×3.0',
      '$4.00 ×4.0',
      'mb 9',
      '2.00 s',
      'not seen',
    ]);
  });

  it('markdown pastes into a review; json is the report itself', () => {
    const md = formatDrill(REPORT, 'markdown');
    expect(
      md.startsWith(
        '## Switchboard drill\n\n### Findings\n\n- **risk**: `main`: `ma` and `mb` are both on `a`\n',
      ),
    ).toBe(true);
    expect(md).toContain('### down:a: a answers 503 for 30 s\n\n| route | answered | errors | p50 | p99 |');
    expect(md).toContain(
      '| main | 90.0 % | all_models_failed 1 | 0.30 s | 1.80 s ×3.0 | $4.00 ×4.0 | mb 9 | 2.00 s | not seen |',
    );
    expect(JSON.parse(formatDrill(REPORT, 'json'))).toEqual(JSON.parse(JSON.stringify(REPORT)));
  });
});
