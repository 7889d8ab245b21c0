import type { SwitchboardConfig } from '../config/types.js';
import { type PromptSizes, sizesFor } from './prompt-mix.js';
import {
  COSTLY_RATIO,
  contextWindowFindings,
  costlyFallbackFindings,
  darkRouteFindings,
  hedgeTimingFindings,
  sharedProviderFindings,
} from './static-findings.js';
import type { Finding, RouteFigures, ScenarioResult } from './types.js';

export interface FindingInputs {
  config: SwitchboardConfig;
  routes: readonly string[];
  prompts: PromptSizes;
  results: readonly ScenarioResult[];
  minAvailabilityPct: number;
  /** Providers the drill could not simulate, and why. */
  notSimulated: ReadonlyArray<{ provider: string; reason: string; routes: readonly string[] }>;
}

const code = (s: string) => `\`${s}\``;

function notDrilled(routes: readonly string[]): string {
  if (routes.length === 0) return '';
  return routes.length === 1
    ? `: route ${code(routes[0] as string)} was not drilled`
    : `: routes ${routes.map(code).join(', ')} were not drilled`;
}

/** Every finding, risks first: what the config says, then what the scenarios showed. */
export function findingsOf(inputs: FindingInputs): Finding[] {
  const { config, routes, prompts, results } = inputs;
  const findings: Finding[] = [];
  for (const { provider, reason, routes: skipped } of inputs.notSimulated) {
    findings.push({
      kind: 'not-simulated',
      severity: 'warn',
      text: `${code(provider)} cannot be drilled in this build (${reason})${notDrilled(skipped)}`,
    });
  }
  for (const result of results) {
    for (const d of result.disagreements) {
      findings.push({
        kind: 'disagreement',
        severity: 'warn',
        text: `${result.scenario.id}: the simulators and the result metadata disagree (${d})`,
      });
    }
    if (result.stopped > 0) {
      findings.push({
        kind: 'stopped',
        severity: 'warn',
        text: `${result.scenario.id}: ${result.stopped} requests were stopped at --max-seconds; raise it for complete figures`,
      });
    }
  }
  for (const route of routes) {
    const sizes = sizesFor(prompts, route);
    findings.push(
      ...sharedProviderFindings(config, route),
      ...darkRouteFindings(config, route),
      ...contextWindowFindings(config, route, sizes, prompts.source),
      ...costlyFallbackFindings(config, route, sizes),
      ...hedgeTimingFindings(config, route),
    );
  }
  findings.push(...belowTarget(results, inputs.minAvailabilityPct));
  findings.push(...costAgainstBaseline(results));
  findings.push(...slowTails(results));
  findings.push(...idleHedges(config, routes, results));
  findings.push(...budgetRefusals(results));
  return [...findings.filter((f) => f.severity === 'warn'), ...findings.filter((f) => f.severity === 'info')];
}

function errorsText(figures: RouteFigures): string {
  return Object.entries(figures.errors)
    .sort((a, b) => b[1] - a[1])
    .map(([c, n]) => `${c} ×${n}`)
    .join(', ');
}

function belowTarget(results: readonly ScenarioResult[], minPct: number): Finding[] {
  const out: Finding[] = [];
  for (const result of results) {
    for (const figures of result.routes) {
      if (figures.availabilityPct >= minPct) continue;
      out.push({
        kind: 'below-target',
        severity: 'warn',
        route: figures.route,
        text: `${code(figures.route)} answered ${figures.availabilityPct.toFixed(1)} % (${figures.answered}/${figures.requests}) when ${result.scenario.description}: ${errorsText(figures)}`,
      });
    }
  }
  return out;
}

function costAgainstBaseline(results: readonly ScenarioResult[]): Finding[] {
  const baseline = results.find((r) => r.scenario.kind === 'baseline');
  if (!baseline) return [];
  const out: Finding[] = [];
  for (const figures of baseline.routes) {
    let worst: { scenario: string; cost: number } | undefined;
    for (const result of results) {
      const cost = result.routes.find((f) => f.route === figures.route)?.costPer1kUsd ?? 0;
      if (!worst || cost > worst.cost) worst = { scenario: result.scenario.description, cost };
    }
    if (!worst || worst.cost === 0) continue;
    const base = figures.costPer1kUsd;
    if (base > 0 && worst.cost < COSTLY_RATIO * base) continue;
    const against =
      base === 0
        ? 'against $0.00 at baseline'
        : `${(worst.cost / base).toFixed(1)}× the baseline's $${base.toFixed(2)}`;
    out.push({
      kind: 'costly-fallback',
      severity: base === 0 ? 'info' : 'warn',
      route: figures.route,
      text: `${code(figures.route)} costs $${worst.cost.toFixed(2)} per 1,000 requests when ${worst.scenario}, ${against}`,
    });
  }
  return out;
}

/** p99 this many times the baseline's, and at least SLOW_P99_MS, is worth a finding. */
const SLOW_RATIO = 10;
const SLOW_P99_MS = 5_000;

/** The scenario that stretches each route's p99 the most, when it is many times the baseline's. */
function slowTails(results: readonly ScenarioResult[]): Finding[] {
  const baseline = results.find((r) => r.scenario.kind === 'baseline');
  if (!baseline) return [];
  const out: Finding[] = [];
  for (const base of baseline.routes) {
    let worst: { result: ScenarioResult; p99Ms: number } | undefined;
    for (const result of results) {
      const p99Ms = result.routes.find((f) => f.route === base.route)?.latencyP99Ms ?? 0;
      if (!worst || p99Ms > worst.p99Ms) worst = { result, p99Ms };
    }
    if (!worst || worst.p99Ms < SLOW_P99_MS || worst.p99Ms < SLOW_RATIO * base.latencyP99Ms) continue;
    out.push({
      kind: 'slow',
      severity: 'warn',
      route: base.route,
      text: `${code(base.route)}: p99 latency ${(worst.p99Ms / 1000).toFixed(1)} s (baseline ${(base.latencyP99Ms / 1000).toFixed(1)} s) when ${worst.result.scenario.description}: requests wait out a timeout before falling back`,
    });
  }
  return out;
}

function idleHedges(
  config: SwitchboardConfig,
  routes: readonly string[],
  results: readonly ScenarioResult[],
): Finding[] {
  const out: Finding[] = [];
  for (const route of routes) {
    if (!config.routes[route]?.hedge) continue;
    const hedges = results.reduce(
      (sum, r) => sum + (r.routes.find((f) => f.route === route)?.hedges ?? 0),
      0,
    );
    if (hedges > 0) continue;
    out.push({
      kind: 'idle-hedge',
      severity: 'warn',
      route,
      text: `${code(route)}: its hedge never fired in ${results.length} scenarios, hanging providers included: it never had room to act`,
    });
  }
  return out;
}

function budgetRefusals(results: readonly ScenarioResult[]): Finding[] {
  return results
    .filter((r) => r.budgetRefusals > 0)
    .map((r) => ({
      kind: 'idle-retry' as const,
      severity: 'info' as const,
      text: `${r.scenario.id}: the retry budget refused ${r.budgetRefusals} retries or hedges (they became fallbacks) when ${r.scenario.description}`,
    }));
}
