import type { SwitchboardConfig } from '../config/types.js';
import type { FaultChange, Scenario, ScenarioKind, Timeline } from './types.js';

export const SCENARIO_KINDS: readonly ScenarioKind[] = [
  'baseline',
  'down',
  'hang',
  'rate-limit',
  'stream-cut',
  'flap',
  'pair',
];

/** Retry-After the rate-limited simulator sends, in seconds. */
export const RATE_LIMIT_RETRY_AFTER_S = 5;
/** Content chunks a cut stream delivers before its socket is destroyed. */
export const STREAM_CUT_CHUNKS = 3;
/** Pairs of providers drilled at most (the pairs that share the most routes first). */
export const MAX_PAIRS = 10;

export interface ScenarioPlan {
  config: SwitchboardConfig;
  routes: readonly string[];
  /** Providers the drill can simulate (others get a finding, and routes using them are not drilled). */
  providers: readonly string[];
  timeline: Timeline;
  maxPairs?: number;
}

/** The providers of a route's models, in chain order, without repeats. */
export function routeProviders(config: SwitchboardConfig, route: string): string[] {
  const ids = (config.routes[route]?.models ?? []).map((m) => config.models[m]?.provider ?? '');
  return [...new Set(ids)];
}

/** The provider of a route's first model: its primary. */
export function primaryProvider(config: SwitchboardConfig, route: string): string | undefined {
  const first = config.routes[route]?.models[0];
  return first === undefined ? undefined : config.models[first]?.provider;
}

/** Every scenario for these routes: baseline first, then each kind in SCENARIO_KINDS order. */
export function allScenarios(plan: ScenarioPlan): Scenario[] {
  const { config, routes, providers, timeline } = plan;
  const start = timeline.warmMs;
  const end = timeline.warmMs + timeline.faultMs;
  const seconds = `${Math.round(timeline.faultMs / 1000)} s`;
  const used = providers.filter((p) => routes.some((r) => routeProviders(config, r).includes(p)));
  const primaries = [...new Set(routes.map((r) => primaryProvider(config, r)))].filter(
    (p): p is string => p !== undefined && used.includes(p),
  );
  const single = (kind: ScenarioKind, provider: string, fault: string, description: string): Scenario => ({
    id: `${kind}:${provider}`,
    kind,
    providers: [provider],
    description,
    changes: window(provider, fault, start, end),
    faultStartMs: start,
    faultEndMs: end,
  });

  const scenarios: Scenario[] = [
    {
      id: 'baseline',
      kind: 'baseline',
      providers: [],
      description: 'every provider healthy',
      changes: [],
      faultStartMs: start,
      faultEndMs: end,
    },
  ];
  for (const p of used) scenarios.push(single('down', p, '503', `${p} answers 503 for ${seconds}`));
  for (const p of used)
    scenarios.push(single('hang', p, 'timeout', `${p} accepts requests and never answers for ${seconds}`));
  for (const p of used) {
    scenarios.push(
      single(
        'rate-limit',
        p,
        `429:${RATE_LIMIT_RETRY_AFTER_S}`,
        `${p} answers 429 with Retry-After: ${RATE_LIMIT_RETRY_AFTER_S} for ${seconds}`,
      ),
    );
  }
  for (const p of primaries) {
    scenarios.push(
      single(
        'stream-cut',
        p,
        `stream-cut:${STREAM_CUT_CHUNKS}`,
        `${p} cuts every stream after ${STREAM_CUT_CHUNKS} chunks for ${seconds}`,
      ),
    );
  }
  for (const p of primaries) scenarios.push(flap(p, timeline));
  for (const [a, b] of pairs(config, routes, used).slice(0, plan.maxPairs ?? MAX_PAIRS)) {
    scenarios.push({
      id: `pair:${a}+${b}`,
      kind: 'pair',
      providers: [a, b],
      description: `${a} and ${b} both answer 503 for ${seconds}`,
      changes: [...window(a, '503', start, end), ...window(b, '503', start, end)],
      faultStartMs: start,
      faultEndMs: end,
    });
  }
  return scenarios;
}

function window(provider: string, fault: string, startMs: number, endMs: number): FaultChange[] {
  return [
    { atMs: startMs, provider, fault },
    { atMs: endMs, provider, fault: 'ok' },
  ];
}

/** Down for the first third of the fault window, up for the second, down again for the last. */
function flap(provider: string, timeline: Timeline): Scenario {
  const start = timeline.warmMs;
  const third = Math.round(timeline.faultMs / 3);
  const s = (ms: number) => `${Math.round(ms / 1000)} s`;
  return {
    id: `flap:${provider}`,
    kind: 'flap',
    providers: [provider],
    description: `${provider} answers 503 for ${s(third)}, recovers for ${s(third)}, fails again for ${s(third)}`,
    changes: [
      ...window(provider, '503', start, start + third),
      ...window(provider, '503', start + 2 * third, start + 3 * third),
    ],
    faultStartMs: start,
    faultEndMs: start + 3 * third,
  };
}

/** Pairs of providers, those that appear together in the most routes first. */
function pairs(
  config: SwitchboardConfig,
  routes: readonly string[],
  providers: readonly string[],
): Array<[string, string]> {
  const out: Array<{ pair: [string, string]; shared: number; order: number }> = [];
  for (let i = 0; i < providers.length; i++) {
    for (let j = i + 1; j < providers.length; j++) {
      const a = providers[i] as string;
      const b = providers[j] as string;
      const shared = routes.filter((r) => {
        const ps = routeProviders(config, r);
        return ps.includes(a) && ps.includes(b);
      }).length;
      out.push({ pair: [a, b], shared, order: out.length });
    }
  }
  return out.sort((x, y) => y.shared - x.shared || x.order - y.order).map((x) => x.pair);
}

/** The scenario selection failed: an unknown name (the message lists what exists). */
export class ScenarioSelectionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScenarioSelectionError';
  }
}

/**
 * Picks scenarios by a comma-separated list of kinds (`down,hang`) or ids (`down:deepseek`); the
 * baseline is always kept (every figure is compared with it). Throws ScenarioSelectionError.
 */
export function selectScenarios(scenarios: readonly Scenario[], list: string | undefined): Scenario[] {
  if (list === undefined || list.trim() === '' || list.trim() === 'all') return [...scenarios];
  const wanted = list
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const unknown = wanted.filter(
    (w) => !(SCENARIO_KINDS as readonly string[]).includes(w) && !scenarios.some((s) => s.id === w),
  );
  if (unknown.length > 0) {
    throw new ScenarioSelectionError(
      `unknown scenario ${unknown.map((u) => `"${u}"`).join(', ')}: choose kinds (${SCENARIO_KINDS.join(', ')}) or ids (${scenarios.map((s) => s.id).join(', ')})`,
    );
  }
  return scenarios.filter((s) => s.kind === 'baseline' || wanted.includes(s.kind) || wanted.includes(s.id));
}
