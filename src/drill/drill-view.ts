import type { DrillReport, RouteFigures, ScenarioResult } from './types.js';

/** A table of the drill, as cells: the terminal and markdown layouts share it. */
export interface DrillTable {
  title: string;
  headers: string[];
  /** Right-aligned columns. */
  numeric: boolean[];
  rows: string[][];
}

const seconds = (ms: number) => (ms < 10_000 ? `${(ms / 1000).toFixed(2)} s` : `${(ms / 1000).toFixed(1)} s`);
const usd = (v: number) => `$${v < 10 ? v.toFixed(2) : v.toFixed(0)}`;

/** `0.51 s ×1.5` against the baseline's figure (no ratio when it barely moved or there is no base). */
function against(value: string, current: number, base: number | undefined): string {
  if (base === undefined || base <= 0) return value;
  const ratio = current / base;
  return ratio >= 0.9 && ratio <= 1.1
    ? value
    : `${value} ×${ratio < 10 ? ratio.toFixed(1) : Math.round(ratio)}`;
}

function counts(record: Record<string, number>): string {
  const entries = Object.entries(record).sort((a, b) => b[1] - a[1]);
  return entries.length === 0 ? '-' : entries.map(([k, n]) => `${k} ${n}`).join(', ');
}

function after(ms: number | null | undefined, what: 'skip' | 'back'): string {
  if (ms === null) return '-';
  if (ms === undefined) return what === 'skip' ? 'never' : 'not seen';
  return seconds(ms);
}

function routeRow(f: RouteFigures, base: RouteFigures | undefined, isBaseline: boolean): string[] {
  const b = isBaseline ? undefined : base;
  return [
    f.route,
    `${f.availabilityPct.toFixed(1)} %`,
    counts(f.errors),
    against(seconds(f.latencyP50Ms), f.latencyP50Ms, b?.latencyP50Ms),
    against(seconds(f.latencyP99Ms), f.latencyP99Ms, b?.latencyP99Ms),
    against(usd(f.costPer1kUsd), f.costPer1kUsd, b?.costPer1kUsd),
    counts(f.answeredBy),
    after(f.skippedAfterMs, 'skip'),
    after(f.returnedAfterMs, 'back'),
  ];
}

export function scenarioTable(result: ScenarioResult, baseline: ScenarioResult | undefined): DrillTable {
  const isBaseline = result.scenario.kind === 'baseline';
  return {
    title: `${result.scenario.id}: ${result.scenario.description}`,
    headers: [
      'route',
      'answered',
      'errors',
      'p50',
      'p99',
      'per 1k req',
      'answered by',
      'skipped after',
      'back after',
    ],
    numeric: [false, true, false, true, true, true, false, true, true],
    rows: result.routes.map((f) =>
      routeRow(
        f,
        baseline?.routes.find((r) => r.route === f.route),
        isBaseline,
      ),
    ),
  };
}

/** The lines above the tables: what was drilled, and how. */
export function summaryLines(report: DrillReport): string[] {
  const scenarios = report.results.length;
  const prompts =
    report.prompts.source === 'ledger'
      ? `prompt sizes from ${report.prompts.count} recorded requests`
      : 'prompt sizes from the default mix';
  const t = report.timeline;
  return [
    `${report.routes.length} routes × ${scenarios} scenarios × ${report.requestsPerRoute} requests (half streams); ${prompts}.`,
    `Each scenario: ${seconds(t.warmMs)} healthy, ${seconds(t.faultMs)} of fault, ${seconds(t.tailMs)} to recover, in simulated time (${report.speedup.toFixed(1)}× real); ${report.realSeconds.toFixed(1)} s real.`,
    report.belowTarget.length === 0
      ? `Every route answered at least ${report.minAvailabilityPct} % in every scenario.`
      : `${report.belowTarget.length} route × scenario results below ${report.minAvailabilityPct} %: the drill fails.`,
  ];
}

export function tablesOf(report: DrillReport): DrillTable[] {
  const baseline = report.results.find((r) => r.scenario.kind === 'baseline');
  return report.results.map((r) => scenarioTable(r, baseline));
}
