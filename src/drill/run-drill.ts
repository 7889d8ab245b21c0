import { setMaxListeners } from 'node:events';
import { mulberry32 } from '../common/seeded-random.js';
import type { Env } from '../config/index.js';
import type { SwitchboardConfig } from '../config/types.js';
import { loadDrillConfig } from './drill-config.js';
import { countFromMetadata, disagreements, routeFigures } from './figures.js';
import { findingsOf } from './findings.js';
import { defaultPromptSizes, drawSizes, ledgerPromptSizes, sizesFor } from './prompt-mix.js';
import { runScenario } from './run-scenario.js';
import { allScenarios, routeProviders, selectScenarios } from './scenarios.js';
import { whyNotSimulated } from './simulators.js';
import { timelineFor } from './timeline.js';
import type { DrillReport, Scenario, ScenarioResult } from './types.js';

export interface DrillOptions {
  /** A config file path, or a YAML-shaped config object. */
  config: string | object;
  /** For `${VAR}` (default process.env); unset variables expand to nothing. */
  env?: Env;
  /** Routes to drill (default: every route). */
  routes?: readonly string[];
  /** Comma-separated scenario kinds or ids (default: all). */
  scenarios?: string;
  /** Requests per route and scenario, half JSON, half streams (default 40). */
  requests?: number;
  /** A ledger file whose recorded prompt sizes the requests use. */
  fromLedger?: string;
  /** Availability (%) every route must reach in every scenario (default 99.9). */
  minAvailabilityPct?: number;
  /** Real seconds the drill may take (default 60). */
  maxSeconds?: number;
  /** Seeds the prompt draws and the engine's chance (default 1). */
  seed?: number;
  /** Scenarios run at once (default 32). */
  concurrency?: number;
}

export const DRILL_DEFAULTS = {
  requests: 40,
  minAvailabilityPct: 99.9,
  maxSeconds: 60,
  seed: 1,
  concurrency: 32,
} as const;

/** Share of --max-seconds the scenarios are paced to take; the rest is set-up, stragglers and margin. */
const PACE_SHARE = 0.4;
/** Requests still running this close to --max-seconds are stopped. */
const STOP_MARGIN_MS = 2_000;

/** A drill option that names something that does not exist, or a value out of range. */
export class DrillOptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DrillOptionError';
  }
}

/**
 * The fire drill: loads the config, replaces every provider with a simulator on 127.0.0.1, runs
 * each scenario against the configured routes in accelerated time, and reports figures and findings.
 * Throws ConfigError for a broken config, DrillOptionError / ScenarioSelectionError / PromptSourceError
 * for bad options.
 */
export async function runDrill(options: DrillOptions): Promise<DrillReport> {
  const startedMs = Date.now();
  const requests = options.requests ?? DRILL_DEFAULTS.requests;
  const maxSeconds = options.maxSeconds ?? DRILL_DEFAULTS.maxSeconds;
  const minAvailabilityPct = options.minAvailabilityPct ?? DRILL_DEFAULTS.minAvailabilityPct;
  const seed = options.seed ?? DRILL_DEFAULTS.seed;
  if (!Number.isInteger(requests) || requests < 1)
    throw new DrillOptionError('--requests must be a whole number ≥ 1');
  if (!(maxSeconds > 0)) throw new DrillOptionError('--max-seconds must be a number > 0');
  if (!(minAvailabilityPct >= 0 && minAvailabilityPct <= 100))
    throw new DrillOptionError('--min-availability must be a percentage from 0 to 100');

  const config = loadDrillConfig(options.config, options.env);
  const selected = selectRoutes(config, options.routes);
  const notSimulated = await unsimulated(config, selected);
  const blocked = new Set(notSimulated.map((n) => n.provider));
  const routes = selected.filter((r) => !routeProviders(config, r).some((p) => blocked.has(p)));
  const providers = [...new Set(routes.flatMap((r) => routeProviders(config, r)))];
  const prompts = options.fromLedger ? await ledgerPromptSizes(options.fromLedger) : defaultPromptSizes();
  const timeline = timelineFor(config, routes);
  const scenarios = selectScenarios(allScenarios({ config, routes, providers, timeline }), options.scenarios);
  const draws = new Map(
    routes.map((route, i) => [route, drawSizes(sizesFor(prompts, route), requests, mulberry32(seed + i))]),
  );

  const concurrency = Math.max(1, options.concurrency ?? DRILL_DEFAULTS.concurrency);
  const scenarioSimMs = timeline.spanMs + config.timeouts.totalMs;
  const waves = Math.ceil(scenarios.length / concurrency);
  const speedup = Math.max(1, (waves * scenarioSimMs) / (maxSeconds * 1000 * PACE_SHARE));
  const stop = new AbortController();
  setMaxListeners(0, stop.signal); // every request of every scenario listens to it
  const stopTimer = setTimeout(
    () => stop.abort(new Error('the drill reached --max-seconds')),
    Math.max(0, startedMs + maxSeconds * 1000 - STOP_MARGIN_MS - Date.now()),
  );
  stopTimer.unref();

  let results: ScenarioResult[];
  try {
    results =
      routes.length === 0
        ? []
        : await pool(scenarios, concurrency, async (scenario) => {
            const run = await runScenario({
              config,
              scenario,
              providers,
              prompts: draws,
              timeline,
              speedup,
              seed,
              signal: stop.signal,
            });
            return scenarioResult(config, routes, scenario, run);
          });
  } finally {
    clearTimeout(stopTimer);
  }

  const belowTarget = results.flatMap((result) =>
    result.routes
      .filter((f) => f.availabilityPct < minAvailabilityPct)
      .map((f) => ({ scenario: result.scenario.id, route: f.route, availabilityPct: f.availabilityPct })),
  );
  return {
    findings: findingsOf({ config, routes, prompts, results, minAvailabilityPct, notSimulated }),
    results,
    routes,
    prompts: { source: prompts.source, count: prompts.all.length },
    requestsPerRoute: requests,
    speedup,
    timeline,
    minAvailabilityPct,
    belowTarget,
    realSeconds: (Date.now() - startedMs) / 1000,
  };
}

function selectRoutes(config: SwitchboardConfig, wanted: readonly string[] | undefined): string[] {
  const all = Object.keys(config.routes);
  if (all.length === 0) throw new DrillOptionError('the config has no routes to drill');
  if (wanted === undefined || wanted.length === 0) return all;
  const unknown = wanted.filter((r) => !all.includes(r));
  if (unknown.length > 0) {
    throw new DrillOptionError(
      `unknown route ${unknown.map((u) => `"${u}"`).join(', ')}: the config has ${all.join(', ')}`,
    );
  }
  return [...new Set(wanted)];
}

/** Providers of these routes whose wire cannot be simulated (or reached) in this build. */
async function unsimulated(config: SwitchboardConfig, routes: readonly string[]) {
  const out: Array<{ provider: string; reason: string; routes: string[] }> = [];
  const byType = new Map<string, string | undefined>();
  for (const provider of new Set(routes.flatMap((r) => routeProviders(config, r)))) {
    const type = config.providers[provider]?.type ?? 'openai';
    if (!byType.has(type)) byType.set(type, await whyNotSimulated(config, provider));
    const reason = byType.get(type);
    if (reason === undefined) continue;
    out.push({
      provider,
      reason,
      routes: routes.filter((r) => routeProviders(config, r).includes(provider)),
    });
  }
  return out;
}

function scenarioResult(
  config: SwitchboardConfig,
  routes: readonly string[],
  scenario: Scenario,
  run: Awaited<ReturnType<typeof runScenario>>,
): ScenarioResult {
  // The simulators also saw the gateway's health probes, which no request's metadata holds.
  const metadata = countFromMetadata(run.outcomes, run.probes);
  return {
    scenario,
    routes: routes.map((route) => routeFigures(config, scenario, route, run.outcomes)),
    simulators: run.simulators,
    metadata,
    probes: run.probes,
    disagreements: disagreements(run.simulators, metadata),
    budgetRefusals: run.budgetRefusals,
    stopped: run.outcomes.filter((o) => o.errorCode === 'drill_stopped').length,
  };
}

/** Maps `items` through `fn`, at most `limit` at once, keeping their order. */
async function pool<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, i: number) => Promise<R>,
): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
