import { mulberry32 } from '../common/seeded-random.js';
import type { SwitchboardConfig } from '../config/types.js';
import type { MockProvider } from '../mock/index.js';
import { createSwitchboardFromConfig } from '../switchboard.js';
import { pointAtSimulators } from './drill-config.js';
import { PacedClock } from './paced-clock.js';
import { type DrillRequest, sendRequest } from './send-request.js';
import { closeSimulators, startSimulators } from './simulators.js';
import type { RequestOutcome, Scenario, SimulatorCounts, Timeline } from './types.js';

export interface ScenarioRunOptions {
  /** The user's config (loaded, not yet pointed at simulators). */
  config: SwitchboardConfig;
  scenario: Scenario;
  /** The providers to simulate (those the drilled routes use). */
  providers: readonly string[];
  /** Per route, the prompt size of each request, in order (even requests JSON, odd ones streams). */
  prompts: ReadonlyMap<string, readonly number[]>;
  timeline: Timeline;
  speedup: number;
  seed: number;
  /** Aborts every request still running (the drill ran out of time). */
  signal: AbortSignal;
}

export interface ScenarioRun {
  outcomes: RequestOutcome[];
  simulators: SimulatorCounts;
  /** Retries and hedges the retry budget refused. */
  budgetRefusals: number;
  /** The gateway's own health probes (while a breaker is open): sent and answered, per model. */
  probes: { requests: Record<string, number>; answered: Record<string, number> };
}

/**
 * Runs one scenario on its own simulators and its own Switchboard (fresh breakers): requests start
 * evenly over the timeline's span, on every route at once, while the scenario's faults come and go.
 */
export async function runScenario(options: ScenarioRunOptions): Promise<ScenarioRun> {
  const { config, scenario, timeline, speedup } = options;
  const sims = await startSimulators(config, options.providers, speedup);
  const cancels: Array<() => void> = [];
  try {
    const urls = new Map([...sims].map(([id, sim]) => [id, sim.baseUrl]));
    const drilled = pointAtSimulators(config, urls);
    const clock = new PacedClock({ speedup });
    cancels.push(() => clock.stop());
    const sb = createSwitchboardFromConfig(drilled, {
      clock,
      random: mulberry32(options.seed),
      logger: false,
    });
    let budgetRefusals = 0;
    const probes: ScenarioRun['probes'] = { requests: {}, answered: {} };
    const detach = sb.events.on((event) => {
      if (event.type === 'retry.budget_exhausted') budgetRefusals++;
      else if (event.type === 'probe.started')
        probes.requests[event.model] = (probes.requests[event.model] ?? 0) + 1;
      else if (event.type === 'probe.succeeded')
        probes.answered[event.model] = (probes.answered[event.model] ?? 0) + 1;
    });
    try {
      for (const change of scenario.changes) {
        cancels.push(clock.setTimer(change.atMs, () => sims.get(change.provider)?.setFault(change.fault)));
      }
      clock.start();
      const routes = [...options.prompts].map(([route, sizes]) =>
        sendOverSpan({ clock, spanMs: timeline.spanMs, signal: options.signal, route, sizes }, (request) =>
          sendRequest(sb, clock, request),
        ),
      );
      const outcomes = (await Promise.all(routes)).flat();
      await settled([...sims.values()]);
      return { outcomes, simulators: countBySimulator(drilled, sims), budgetRefusals, probes };
    } finally {
      detach();
      await sb.close();
    }
  } finally {
    for (const cancel of cancels) cancel();
    await closeSimulators(sims);
  }
}

interface Pacing {
  clock: PacedClock;
  spanMs: number;
  signal: AbortSignal;
  route: string;
  /** One prompt size per request. */
  sizes: readonly number[];
}

/** Starts a route's requests evenly over the span (one sleep at a time), alternating JSON and streams. */
async function sendOverSpan(
  pacing: Pacing,
  send: (request: DrillRequest) => Promise<RequestOutcome>,
): Promise<RequestOutcome[]> {
  const { clock, sizes, signal } = pacing;
  const gapMs = pacing.spanMs / Math.max(1, sizes.length);
  const sends: Array<Promise<RequestOutcome>> = [];
  for (const [i, promptTokens] of sizes.entries()) {
    const request: DrillRequest = {
      route: pacing.route,
      stream: i % 2 === 1,
      promptTokens,
      originMs: clock.startMs,
      signal,
    };
    try {
      await clock.sleep(clock.startMs + i * gapMs - clock.now(), signal);
      sends.push(send(request));
    } catch {
      sends.push(Promise.resolve(stoppedOutcome(request, i * gapMs)));
    }
  }
  return Promise.all(sends);
}

function stoppedOutcome(request: DrillRequest, startMs: number): RequestOutcome {
  return {
    route: request.route,
    stream: request.stream,
    promptTokens: request.promptTokens,
    startMs,
    latencyMs: 0,
    errorCode: 'drill_stopped',
    attempts: [],
    skipped: [],
    costUsd: 0,
    retries: 0,
    hedges: 0,
    recoveries: 0,
  };
}

/** Waits (a bounded while) until no simulator holds a request the gateway has given up on. */
async function settled(sims: readonly MockProvider[]): Promise<void> {
  const deadline = Date.now() + 2_000;
  while (Date.now() < deadline) {
    if (sims.every((sim) => sim.stats().log.every((entry) => entry.outcome !== 'hung'))) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Requests each simulator received, and answered in full with a 200, per configured model. */
function countBySimulator(
  config: SwitchboardConfig,
  sims: ReadonlyMap<string, MockProvider>,
): SimulatorCounts {
  const requests: Record<string, number> = {};
  const answered: Record<string, number> = {};
  for (const [provider, sim] of sims) {
    const modelOf = new Map<string, string>();
    for (const model of Object.values(config.models)) {
      if (model.provider === provider && !modelOf.has(model.upstreamModel))
        modelOf.set(model.upstreamModel, model.id);
    }
    for (const entry of sim.stats().log) {
      const model = modelOf.get(entry.model ?? '') ?? `${provider}/${entry.model ?? '?'}`;
      requests[model] = (requests[model] ?? 0) + 1;
      if (entry.outcome === 'ok' && entry.status === 200) answered[model] = (answered[model] ?? 0) + 1;
    }
  }
  return { requests, answered };
}
