/**
 * The fault scenarios, run in table order, each on a fresh gateway: set the primary's fault,
 * warm up (unmeasured, so breakers open), reset the providers' counts, measure with /metrics read
 * before and after, and judge the row (targets.js). The next scenario's gateway boots during the
 * current warm-up, so its start-up costs no time of its own.
 */
import { CHAIN, CHAIN_ROUTE, chatBody } from './gateway-config.js';
import { bootGateway, waitForIdle } from './gateway-process.js';
import { getText } from './http.js';
import { phaseSeconds } from './load.js';
import { progress } from './log.js';
import { loadPhase, perCore, withCpu } from './measure.js';
import { readMemory } from './memory.js';
import { deltaOf, snapshotOf } from './metrics.js';
import { stop } from './processes.js';
import { resetProviders, setFaults, upstreamCounts } from './simulated-providers.js';
import { faultChecks, verdictOf } from './targets.js';

/**
 * @typedef {import('./options.js').Options} Options
 * @typedef {import('./measure.js').Setup} Setup
 * @typedef {import('./gateway-process.js').RunningGateway} RunningGateway
 * @typedef {import('./scenarios.js').Scenario} Scenario
 */

/**
 * One fault scenario on a fresh gateway. `duringWarmup` runs as the warm-up starts and returns what
 * must be done before the measured phase (the next scenario's gateway booting, idle before measuring).
 * @param {{ options: Options, setup: Setup, urls: Record<string, string>, scenario: Scenario, gateway: RunningGateway, duringWarmup: () => Promise<unknown> | undefined }} run
 */
async function runScenario({ options, setup, urls, scenario, gateway, duringWarmup }) {
  const { durationS, warmupS } = options.profile;
  const target = { url: `${gateway.url}/v1/chat/completions`, body: chatBody(CHAIN_ROUTE, scenario.stream) };
  const load = (/** @type {number} */ seconds) => loadPhase(setup, target, options.connections, seconds);
  progress(`[faults] ${scenario.id} (primary: ${scenario.fault}): warm-up ${warmupS} s, then ${durationS} s`);
  const warmup = load(warmupS);
  const booting = duringWarmup();
  await warmup;
  await booting?.catch(() => {}); // a failed boot is reported when its turn comes
  progress(`[faults] ${scenario.id}: measuring`);
  await waitForIdle(gateway.url);
  await resetProviders(urls);
  const before = snapshotOf(await getText(`${gateway.url}/metrics`));
  const measured = await withCpu(setup, gateway, () => load(durationS));
  await waitForIdle(gateway.url);
  const after = snapshotOf(await getText(`${gateway.url}/metrics`));
  const upstreams = await upstreamCounts(urls);
  const memory = readMemory(gateway.child.pid);
  const delta = deltaOf(before, after);
  // A stream that breaks after its first content ends with an error event inside an HTTP 200:
  // the load generator sees a success, the gateway counts a failure.
  const streamErrors = scenario.stream ? Math.max(0, delta.failures - measured.non2xx) : 0;
  return {
    rps: measured.rps,
    p50Ms: measured.p50Ms,
    p99Ms: measured.p99Ms,
    requests: measured.requests,
    durationS: measured.durationS,
    errors: {
      total: measured.non2xx + measured.socketErrors + streamErrors,
      non2xx: measured.non2xx,
      socket: measured.socketErrors,
      streamErrorEvents: streamErrors,
    },
    upstreams,
    costUsd: delta.costUsd,
    costPer1kUsd: measured.requests > 0 ? (delta.costUsd / measured.requests) * 1000 : Number.NaN,
    wastedCostUsd: delta.wastedCostUsd,
    gatewayOutcomes: delta.byOutcome,
    gatewayCounters: delta.counters,
    peakRssMb: memory?.peakRssMb ?? Number.NaN,
    tool: measured.tool,
    cpu: measured.cpu,
    rpsPerCore: perCore(measured.rps, measured.cpu),
    gatewayPid: gateway.child.pid,
  };
}

/** @param {Scenario} scenario */
const rowBase = (scenario) => ({
  id: scenario.id,
  label: scenario.label,
  fault: scenario.fault,
  stream: scenario.stream,
  baseline: scenario.baseline ?? false,
  baselineOf: scenario.baselineOf ?? null,
  hedge: scenario.hedge ?? null,
});

/**
 * Every selected fault scenario, in table order.
 * @param {Options} options
 * @param {Setup} setup
 * @param {Record<string, string>} urls
 * @param {import('./fault-plan.js').FaultPlan} plan
 * @param {Promise<RunningGateway> | undefined} firstGateway the first scenario's gateway, if already booting
 */
export async function runFaults(options, setup, urls, plan, firstGateway) {
  const { skipped, configs, runnable } = plan;
  /** @param {Scenario | undefined} s */
  const boot = (s) => {
    if (!s) return undefined;
    const configPath = /** @type {string} */ (configs.get(s.id));
    const p = bootGateway(setup, configPath);
    p.catch(() => {}); // awaited (and reported) when its turn comes
    return p;
  };

  /** @type {any[]} */
  const rows = [];
  /** @type {Map<string, { rps: number, p50Ms: number }>} */
  const baselines = new Map();
  /** @type {Promise<void>[]} */
  const stopping = [];
  try {
    /** @type {Promise<RunningGateway> | undefined} */
    let next = firstGateway ?? boot(runnable[0]);
    for (const scenario of options.scenarios) {
      const note = skipped.get(scenario.id);
      if (note !== undefined || !next) {
        rows.push({ ...rowBase(scenario), status: 'n/a', note: note ?? 'not run', checks: [] });
        progress(`[faults] ${scenario.id}: n/a (${note})`);
        continue;
      }
      await setFaults(urls, scenario.fault);
      await resetProviders(urls);
      const gateway = await next;
      next = undefined;
      const following = runnable[runnable.indexOf(scenario) + 1];
      let r;
      try {
        const duringWarmup = () => {
          next = boot(following);
          return next;
        };
        r = await runScenario({ options, setup, urls, scenario, gateway, duringWarmup });
      } finally {
        stopping.push(stop(gateway.child));
      }
      if (scenario.baseline) baselines.set(scenario.id, { rps: r.rps, p50Ms: r.p50Ms });
      const baseline = scenario.baselineOf ? baselines.get(scenario.baselineOf) : undefined;
      const checks = faultChecks(scenario, r, baseline);
      rows.push({
        ...rowBase(scenario),
        status: 'ran',
        ...r,
        vsBaseline: baseline ? r.rps / baseline.rps : Number.NaN,
        checks,
        verdict: verdictOf(checks),
      });
    }
  } finally {
    await Promise.all(stopping);
    await setFaults(urls, 'ok').catch(() => {});
  }
  const { durationS, warmupS } = options.profile;
  return {
    title: `route "${CHAIN_ROUTE}" [${CHAIN.join(', ')}], each model on its own simulated provider, fault on the primary, ${options.connections} connections, ${phaseSeconds(warmupS)} s warm-up then ${phaseSeconds(durationS)} s measured, a fresh gateway process per scenario; every row measured by ${setup.tool}`,
    scenarios: rows,
  };
}
