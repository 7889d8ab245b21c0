#!/usr/bin/env node
/**
 * Switchboard's benchmark suite (`npm run bench`, not part of `npm test`).
 *
 * Starts the simulated providers (one child process) and the gateway (another, fresh for every
 * fault scenario) as separate processes, drives load with wrk when it is installed (else autocannon),
 * prints the tables and writes bench/results/latest.{json,md} plus a timestamped copy.
 *
 *   npm run bench                       # full run (10 s phases; a few minutes)
 *   npm run bench -- --quick            # smoke check (3 s phases; under a minute)
 *   npm run bench -- --only overhead    # or: --only faults
 *   npm run bench -- --duration 5 --scenarios primary-down,stream-cut
 *   node bench/run.js --tiny --out /tmp/bench   # a few seconds; what the harness test runs
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { watchCpu } from './lib/cpu.js';
import {
  CHAIN,
  CHAIN_ROUTE,
  chatBody,
  gatewayConfig,
  PROVIDERS,
  SINGLE_ROUTE,
  SOLO_UPSTREAM_MODEL,
  writeConfig,
} from './lib/gateway-config.js';
import { getJson, getText, postJson, sleep } from './lib/http.js';
import { runLatencyProbe } from './lib/latency-probe.js';
import { chooseLoadTool, phaseSeconds, runLoad } from './lib/load.js';
import { readMemory } from './lib/memory.js';
import { deltaOf, parsePrometheus, snapshotOf, sumOf } from './lib/metrics.js';
import {
  atExit,
  installCleanup,
  ORPHAN_GUARD,
  pinningPlan,
  pinSelf,
  spawnManaged,
  stop,
  stopAll,
  waitForLine,
} from './lib/processes.js';
import { renderText, writeResults } from './lib/report.js';
import { QUICK_SCENARIOS, selectScenarios, TINY_SCENARIOS } from './lib/scenarios.js';
import { faultChecks, overheadChecks, TARGETS, verdictOf } from './lib/targets.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'bin', 'switchboard.js');
const PROVIDERS_CHILD = fileURLToPath(new URL('./lib/providers-process.js', import.meta.url));
const DEFAULT_OUT = join(ROOT, 'bench', 'results');
const CONNECTIONS = 32;

/** Phase lengths in seconds per mode. */
const PROFILES = {
  full: { durationS: 10, warmupS: 2, latencyS: 10, overheadWarmupS: 2 },
  quick: { durationS: 3, warmupS: 1.5, latencyS: 2, overheadWarmupS: 1 },
  tiny: { durationS: 1, warmupS: 0.5, latencyS: 1, overheadWarmupS: 0.5 },
};

const HELP = `Usage: node bench/run.js [options]   (or: npm run bench -- [options])

  --quick              short phases (3 s), no streaming baseline: a smoke check in under a minute
  --tiny               1 s phases, three scenarios: a few seconds (what the harness test runs)
  --only WHAT          overhead | faults (default: both)
  --duration S         length of each measured phase, seconds (default 10; --quick 3)
  --warmup S           unmeasured warm-up of each fault scenario, seconds (default 2)
  --scenarios A,B      fault scenarios to run (their baselines are added); ids:
                       healthy, primary-down, primary-hanging, primary-429, primary-flaky,
                       primary-slow, primary-slow-hedged, healthy-stream, stream-cut
  --hedge              run the "with hedging" row (needs routes.<name>.hedge in the gateway)
  --tool T             auto | wrk | autocannon (default auto: wrk when installed)
  --no-pin             do not pin processes to cores with taskset
  --out DIR            where to write the results (default bench/results)
  --strict             exit 2 when a check fails
  -h, --help           this text
`;

/** @param {string} message */
const log = (message) => process.stderr.write(`${message}\n`);
const T0 = Date.now();
/** A progress line, stamped with the seconds since the start. @param {string} message */
const progress = (message) => log(`[${((Date.now() - T0) / 1000).toFixed(1).padStart(5)} s] ${message}`);

function parseOptions() {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      tiny: { type: 'boolean', default: false },
      only: { type: 'string' },
      duration: { type: 'string' },
      warmup: { type: 'string' },
      scenarios: { type: 'string' },
      hedge: { type: 'boolean', default: false },
      tool: { type: 'string', default: 'auto' },
      'no-pin': { type: 'boolean', default: false },
      out: { type: 'string' },
      strict: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  const mode = values.tiny ? 'tiny' : values.quick ? 'quick' : 'full';
  const profile = { ...PROFILES[mode] };
  /** @param {string | undefined} text @param {string} flag */
  const seconds = (text, flag) => {
    const n = Number(text);
    if (!Number.isFinite(n) || n <= 0 || n > 600)
      throw new Error(`${flag} takes a number of seconds (0 < S ≤ 600)`);
    return n;
  };
  if (values.duration !== undefined) {
    profile.durationS = seconds(values.duration, '--duration');
    profile.latencyS = profile.durationS;
  }
  if (values.warmup !== undefined) profile.warmupS = seconds(values.warmup, '--warmup');
  if (values.only !== undefined && values.only !== 'overhead' && values.only !== 'faults') {
    throw new Error('--only takes overhead or faults');
  }
  if (!['auto', 'wrk', 'autocannon'].includes(values.tool ?? '')) {
    throw new Error('--tool takes auto, wrk or autocannon');
  }
  const scenarioIds = values.scenarios
    ? values.scenarios
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : mode === 'tiny'
      ? TINY_SCENARIOS
      : mode === 'quick'
        ? QUICK_SCENARIOS
        : null;
  return {
    help: values.help,
    mode: values.duration !== undefined || values.warmup !== undefined ? `${mode}, custom phases` : mode,
    profile,
    overhead: values.only !== 'faults',
    faults: values.only !== 'overhead',
    // --tiny and --quick leave out the streaming baseline, unless scenarios are named.
    scenarios: selectScenarios(scenarioIds, mode === 'full' || values.scenarios !== undefined),
    hedge: values.hedge,
    tool: /** @type {'auto' | 'wrk' | 'autocannon'} */ (values.tool),
    pin: !values['no-pin'],
    out: values.out ?? DEFAULT_OUT,
    strict: values.strict,
  };
}

/** @typedef {ReturnType<typeof parseOptions>} Options */
/** @typedef {{ tool: 'wrk' | 'autocannon', latencyTool: 'wrk' | 'latency-probe', cpuGateway: string | null, cpuOthers: string | null }} Setup */

/**
 * Starts the providers child; resolves with provider name → base address.
 * @param {string | null} cpu
 * @returns {Promise<Record<string, string>>}
 */
async function startProviders(cpu) {
  const specs = PROVIDERS.map((name) => ({ name, latencyMs: 0 }));
  const child = spawnManaged({
    name: 'providers',
    command: process.execPath,
    args: [PROVIDERS_CHILD, JSON.stringify(specs)],
    cpu,
  });
  const [line] = await waitForLine(child, /^\{"providers".*\}$/, 15_000);
  /** @type {Record<string, { url: string }>} */
  const providers = JSON.parse(line).providers;
  return Object.fromEntries(Object.entries(providers).map(([name, p]) => [name, p.url]));
}

/**
 * Starts a gateway process on a free port and waits until it answers /healthz.
 * @param {string} configPath
 * @param {string | null} cpu
 */
async function startGateway(configPath, cpu) {
  const child = spawnManaged({
    name: 'gateway',
    command: process.execPath,
    args: ['--import', ORPHAN_GUARD, BIN, 'serve', '--config', configPath, '--port', '0'],
    cpu,
  });
  const match = await waitForLine(child, /listening on (http:\/\/\S+)/, 20_000);
  const url = /** @type {string} */ (match[1]);
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      await getJson(`${url}/healthz`);
      break;
    } catch (error) {
      if (Date.now() > deadline) {
        await stop(child, 500);
        throw error;
      }
      await sleep(50);
    }
  }
  return { child, url };
}

/**
 * Waits (bounded) until the gateway has no request in flight: the load generator just closed its
 * connections, and the requests it dropped are being cancelled.
 * @param {string} url
 */
async function waitForIdle(url, maxMs = 3000) {
  const deadline = Date.now() + maxMs;
  while (Date.now() < deadline) {
    const inFlight = sumOf(
      parsePrometheus(await getText(`${url}/metrics`)),
      'switchboard_in_flight_requests',
    );
    if (inFlight <= 0) return;
    await sleep(50);
  }
}

/**
 * Requests per second per core of gateway CPU: the gateway's efficiency, which other processes on
 * a shared machine disturb far less than its raw throughput.
 * @param {number} rps
 * @param {import('./lib/cpu.js').CpuUsage | null} cpu
 */
function perCore(rps, cpu) {
  const pct = cpu?.gatewayPct;
  return typeof pct === 'number' && pct > 0 ? rps / (pct / 100) : Number.NaN;
}

/**
 * Runs a measured phase and records the CPU it used (see lib/cpu.js).
 * @template {object} T
 * @param {Setup} setup
 * @param {{ child: { pid: number } }} gateway
 * @param {() => Promise<T>} phase
 * @returns {Promise<T & { cpu: import('./lib/cpu.js').CpuUsage | null }>}
 */
async function withCpu(setup, gateway, phase) {
  const watch = watchCpu({ gatewayPid: gateway.child.pid, gatewayCore: setup.cpuGateway });
  const result = await phase();
  return { ...result, cpu: watch.stop() };
}

/**
 * 1-connection latency: wrk when it is the load tool (µs resolution), else the latency probe.
 * @param {Setup} setup
 * @param {string} url
 * @param {string} body
 * @param {number} durationS
 */
function latencyPhase(setup, url, body, durationS) {
  if (setup.latencyTool === 'wrk') {
    return runLoad({ tool: 'wrk', url, body, connections: 1, durationS, cpu: setup.cpuOthers });
  }
  return runLatencyProbe({ url, body, durationS, cpu: setup.cpuOthers });
}

/**
 * The overhead figures: the same load direct to a simulated provider and through the gateway
 * (the direct phases first; `duringDirect` runs as they start).
 * @param {Options} options
 * @param {Setup} setup
 * @param {Record<string, string>} urls
 * @param {string} configPath
 * @param {() => void} [duringDirect]
 */
async function runOverhead(options, setup, urls, configPath, duringDirect = () => {}) {
  const { durationS, latencyS, overheadWarmupS } = options.profile;
  const gateway = await startGateway(configPath, setup.cpuGateway);
  try {
    await sleep(200);
    const idle = readMemory(gateway.child.pid);
    const direct = { url: `${urls.solo}/v1/chat/completions`, body: chatBody(SOLO_UPSTREAM_MODEL) };
    const through = { url: `${gateway.url}/v1/chat/completions`, body: chatBody(SINGLE_ROUTE) };
    /** @param {{ url: string, body: string }} target @param {number} seconds */
    const load32 = (target, seconds) =>
      runLoad({
        tool: setup.tool,
        ...target,
        connections: CONNECTIONS,
        durationS: seconds,
        cpu: setup.cpuOthers,
      });

    progress(
      `[overhead] direct, ${CONNECTIONS} connections: warm-up ${overheadWarmupS} s, then ${durationS} s`,
    );
    duringDirect();
    await load32(direct, overheadWarmupS);
    const direct32 = await withCpu(setup, gateway, () => load32(direct, durationS));
    progress(`[overhead] direct, 1 connection (${setup.latencyTool}), ${latencyS} s`);
    const direct1 = await withCpu(setup, gateway, () =>
      latencyPhase(setup, direct.url, direct.body, latencyS),
    );
    progress(
      `[overhead] gateway, ${CONNECTIONS} connections: warm-up ${overheadWarmupS} s, then ${durationS} s`,
    );
    await load32(through, overheadWarmupS);
    const gateway32 = await withCpu(setup, gateway, () => load32(through, durationS));
    progress(`[overhead] gateway, 1 connection (${setup.latencyTool}), ${latencyS} s`);
    const gateway1 = await withCpu(setup, gateway, () =>
      latencyPhase(setup, through.url, through.body, latencyS),
    );
    const peak = readMemory(gateway.child.pid);
    const memory = { idleRssMb: idle?.rssMb ?? Number.NaN, peakRssMb: peak?.peakRssMb ?? Number.NaN };

    const checks = overheadChecks({ direct32, gateway32, direct1, gateway1, memory });
    /** @param {{ p50Ms: number, p99Ms: number }} d @param {{ p50Ms: number, p99Ms: number }} g @param {'p50Ms' | 'p99Ms'} k */
    const msRow = (d, g, k) => {
      const [dv, gv] = [d[k], g[k]].map((v) => (typeof v === 'number' ? v : Number.NaN));
      return { direct: dv, gateway: gv, delta: gv - dv, ratio: gv / dv };
    };
    const rows = [
      {
        id: 'rps-32',
        metric: `req/s @${CONNECTIONS} conn`,
        unit: 'rps',
        direct: direct32.rps,
        gateway: gateway32.rps,
        ratio: gateway32.rps / direct32.rps,
        target: `≥ ${TARGETS.throughputRatio}× direct`,
        verdict: checks.rps32.pass,
        tool: setup.tool,
      },
      {
        id: 'p50-1',
        metric: 'p50 @1 conn (ms)',
        unit: 'ms',
        ...msRow(direct1, gateway1, 'p50Ms'),
        ratio: null,
        target: `Δ ≤ ${TARGETS.addedP50Ms.toFixed(2)} ms`,
        verdict: checks.p50at1.pass,
        tool: setup.latencyTool,
      },
      {
        id: 'p99-1',
        metric: 'p99 @1 conn (ms)',
        unit: 'ms',
        ...msRow(direct1, gateway1, 'p99Ms'),
        ratio: null,
        target: null,
        verdict: undefined,
        tool: setup.latencyTool,
      },
      {
        id: 'p50-32',
        metric: `p50 @${CONNECTIONS} conn (ms)`,
        unit: 'ms',
        ...msRow(direct32, gateway32, 'p50Ms'),
        ratio: null,
        target: null,
        verdict: undefined,
        tool: setup.tool,
      },
      {
        id: 'p99-32',
        metric: `p99 @${CONNECTIONS} conn (ms)`,
        unit: 'ms',
        ...msRow(direct32, gateway32, 'p99Ms'),
        target: `≤ ${TARGETS.p99Ratio}× direct`,
        verdict: checks.p99at32.pass,
        tool: setup.tool,
      },
      {
        id: 'errors',
        metric: 'client errors (all phases)',
        unit: 'count',
        direct: direct32.errors + direct1.errors,
        gateway: gateway32.errors + gateway1.errors,
        target: null,
        verdict: undefined,
        tool: `${setup.tool}${setup.latencyTool !== setup.tool ? ` + ${setup.latencyTool}` : ''}`,
      },
      {
        id: 'cpu-32',
        metric: `gateway CPU @${CONNECTIONS} conn (%)`,
        unit: 'pct',
        direct: null,
        gateway: gateway32.cpu?.gatewayPct ?? Number.NaN,
        target: null,
        verdict: undefined,
        tool: '/proc/<pid>/stat',
      },
      {
        id: 'rps-per-core-32',
        metric: `gateway req/s per CPU core @${CONNECTIONS}`,
        unit: 'rps',
        direct: null,
        gateway: perCore(gateway32.rps, gateway32.cpu),
        target: null,
        verdict: undefined,
        tool: `${setup.tool} ÷ CPU`,
      },
      {
        id: 'rss-idle',
        metric: 'gateway RSS idle (MB)',
        unit: 'MB',
        direct: null,
        gateway: memory.idleRssMb,
        target: null,
        verdict: undefined,
        tool: '/proc VmRSS',
      },
      {
        id: 'rss-peak',
        metric: 'gateway RSS peak (MB)',
        unit: 'MB',
        direct: null,
        gateway: memory.peakRssMb,
        target: `≤ ${TARGETS.peakRssMb} MB`,
        verdict: checks.peakRss.pass,
        tool: '/proc VmHWM',
      },
    ];
    return {
      title: `single-model route "${SINGLE_ROUTE}", healthy, non-streaming, provider latency 0; the same load direct to the simulated provider and through the gateway`,
      rows,
      phases: { direct32, gateway32, direct1, gateway1 },
      memory,
      checks: Object.values(checks),
    };
  } finally {
    await stop(gateway.child);
  }
}

/**
 * Whether the gateway's config accepts `hedge` on a route (`switchboard check`).
 * @param {string} configPath a config with a hedged route
 */
function hedgeSupport(configPath) {
  const r = spawnSync(process.execPath, [BIN, 'check', '--config', configPath], {
    encoding: 'utf8',
    timeout: 20_000,
  });
  if (r.status === 0) return { supported: true, message: '' };
  const message = `${r.stderr ?? ''}${r.stdout ?? ''}`
    .split('\n')
    .find((l) => /hedge/i.test(l))
    ?.trim();
  return { supported: false, message: message ?? `switchboard check exited ${r.status}` };
}

/**
 * @param {Record<string, string>} urls
 * @param {string} fault the primary's
 */
async function setFaults(urls, fault) {
  await Promise.all(
    CHAIN.map((name) => postJson(`${urls[name]}/__fault`, { fault: name === 'primary' ? fault : 'ok' })),
  );
}

/** @param {Record<string, string>} urls */
async function resetProviders(urls) {
  await Promise.all(CHAIN.map((name) => postJson(`${urls[name]}/__reset`, {})));
}

/** @typedef {Awaited<ReturnType<typeof startGateway>>} RunningGateway */

/**
 * One fault scenario on a fresh gateway: warm-up (unmeasured), reset the providers' counts, then the
 * measured phase with /metrics read before and after. `duringWarmup` runs as the warm-up starts and
 * returns what must be done before the measured phase: the next scenario's gateway boots during this
 * warm-up (its start-up costs no time of its own) and has finished booting, idle, before measuring.
 * @param {Options} options
 * @param {Setup} setup
 * @param {Record<string, string>} urls
 * @param {import('./lib/scenarios.js').Scenario} scenario
 * @param {RunningGateway} gateway
 * @param {() => Promise<unknown> | undefined} duringWarmup
 */
async function runScenario(options, setup, urls, scenario, gateway, duringWarmup) {
  const { durationS, warmupS } = options.profile;
  const target = { url: `${gateway.url}/v1/chat/completions`, body: chatBody(CHAIN_ROUTE, scenario.stream) };
  /** @param {number} seconds */
  const load = (seconds) =>
    runLoad({
      tool: setup.tool,
      ...target,
      connections: CONNECTIONS,
      durationS: seconds,
      cpu: setup.cpuOthers,
    });
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
  /** @type {Record<string, number>} */
  const upstreams = {};
  for (const name of CHAIN) upstreams[name] = (await getJson(`${urls[name]}/__stats`)).requests;
  const memory = readMemory(gateway.child.pid);
  const delta = deltaOf(before, after);
  // A stream that breaks after its first content ends with an error event inside an HTTP 200:
  // the load generator sees a success, the gateway counts a failure.
  const streamErrors = scenario.stream ? Math.max(0, delta.failures - measured.non2xx) : 0;
  const errors = {
    total: measured.non2xx + measured.socketErrors + streamErrors,
    non2xx: measured.non2xx,
    socket: measured.socketErrors,
    streamErrorEvents: streamErrors,
  };
  return {
    rps: measured.rps,
    p50Ms: measured.p50Ms,
    p99Ms: measured.p99Ms,
    requests: measured.requests,
    durationS: measured.durationS,
    errors,
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
  };
}

/**
 * Which fault scenarios run, with which config (the hedged row needs its own), and which are n/a.
 * @param {Options} options
 * @param {Record<string, string>} urls
 * @param {string} configPath
 * @param {string} tmp
 */
function planFaults(options, urls, configPath, tmp) {
  /** @type {Map<string, string>} scenario id → why it is n/a */
  const skipped = new Map();
  /** @type {Map<string, string>} scenario id → the config it runs with */
  const configs = new Map();
  /** @type {{ supported: boolean, message: string } | undefined} */
  let hedge;
  for (const scenario of options.scenarios) {
    const enabled = (scenario.enabled ?? true) || options.hedge;
    if (!scenario.hedge) {
      if (enabled) configs.set(scenario.id, configPath);
      else skipped.set(scenario.id, scenario.disabledNote ?? 'disabled');
      continue;
    }
    const path = writeConfig(
      tmp,
      'bench-hedge.yaml',
      gatewayConfig({ urls, hedge: scenario.hedge, retryBudget: scenario.retryBudget }),
    );
    hedge ??= hedgeSupport(path);
    if (hedge.supported && enabled) configs.set(scenario.id, path);
    else if (!hedge.supported) {
      skipped.set(
        scenario.id,
        `${scenario.disabledNote ?? 'not supported'}; \`switchboard check\` on a hedged route says: ${hedge.message}`,
      );
    } else {
      skipped.set(
        scenario.id,
        'the gateway accepts routes.<name>.hedge: switch this row on (enabled: true in bench/lib/scenarios.js, or --hedge)',
      );
    }
  }
  return { skipped, configs, runnable: options.scenarios.filter((s) => configs.has(s.id)) };
}

/** @typedef {ReturnType<typeof planFaults>} FaultPlan */

/**
 * Every selected fault scenario, in table order.
 * @param {Options} options
 * @param {Setup} setup
 * @param {Record<string, string>} urls
 * @param {FaultPlan} plan
 * @param {Promise<RunningGateway> | undefined} firstGateway the first scenario's gateway, if already booting
 */
async function runFaults(options, setup, urls, plan, firstGateway) {
  const { skipped, configs, runnable } = plan;
  /** @param {import('./lib/scenarios.js').Scenario | undefined} s */
  const boot = (s) => {
    if (!s) return undefined;
    const p = startGateway(/** @type {string} */ (configs.get(s.id)), setup.cpuGateway);
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
      const base = {
        id: scenario.id,
        label: scenario.label,
        fault: scenario.fault,
        stream: scenario.stream,
        baseline: scenario.baseline ?? false,
        baselineOf: scenario.baselineOf ?? null,
        hedge: scenario.hedge ?? null,
      };
      const note = skipped.get(scenario.id);
      if (note !== undefined || !next) {
        rows.push({ ...base, status: 'n/a', note: note ?? 'not run', checks: [] });
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
        r = await runScenario(options, setup, urls, scenario, gateway, () => {
          next = boot(following);
          return next;
        });
      } finally {
        stopping.push(stop(gateway.child));
      }
      if (scenario.baseline) baselines.set(scenario.id, { rps: r.rps, p50Ms: r.p50Ms });
      const baseline = scenario.baselineOf ? baselines.get(scenario.baselineOf) : undefined;
      const checks = faultChecks(scenario, r, baseline);
      rows.push({
        ...base,
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
    title: `route "${CHAIN_ROUTE}" [${CHAIN.join(', ')}], each model on its own simulated provider, fault on the primary, ${CONNECTIONS} connections, ${phaseSeconds(warmupS)} s warm-up then ${phaseSeconds(durationS)} s measured, a fresh gateway process per scenario; every row measured by ${setup.tool}`,
    scenarios: rows,
  };
}

/**
 * @param {Options} options
 * @param {Setup} setup
 * @param {{ description: string } | null} pinning
 * @param {any} result
 */
function notesFor(options, setup, pinning, result) {
  const notes = [];
  const { durationS, warmupS, latencyS, overheadWarmupS } = options.profile;
  const tool = setup.tool === 'wrk' ? 'wrk (µs latency resolution)' : 'autocannon (1 ms latency resolution)';
  notes.push(`Load generator: ${tool}, ${CONNECTIONS} keep-alive connections, one request at a time each.`);
  if (result.overhead) {
    notes.push(
      `Overhead: ${phaseSeconds(durationS)} s measured after ${phaseSeconds(overheadWarmupS)} s of unmeasured warm-up per target; 1-connection rows: ${
        setup.latencyTool === 'wrk'
          ? `wrk -c1, ${phaseSeconds(latencyS)} s`
          : `bench/lib/latency-probe.js (sequential POSTs over one keep-alive undici connection, hrtime, warm-up of 500 requests or the first quarter discarded), ${latencyS} s`
      }. RSS from /proc/<gateway pid>/status: VmRSS before any load, VmHWM after all overhead phases.`,
    );
  }
  const busy = result.environment.loadAverageAtStart;
  if (busy > 0.5) {
    notes.push(
      `CAUTION: the 1-minute load average was ${busy.toFixed(2)} when the run started (other processes were using the CPUs); the figures may be noisy.`,
    );
  }
  notes.push(
    pinning
      ? `Pinning: ${pinning.description}.`
      : 'Pinning: none (taskset missing or unusable, one core, or --no-pin).',
  );
  if (pinning) {
    /** @type {Array<[string, any]>} */
    const phases = [];
    if (result.overhead) {
      phases.push(['overhead @32', result.overhead.phases.gateway32.cpu]);
      phases.push(['overhead @1', result.overhead.phases.gateway1.cpu]);
    }
    for (const s of result.faults?.scenarios ?? []) if (s.status === 'ran') phases.push([s.id, s.cpu]);
    const contended = phases.filter(([, cpu]) => (cpu?.otherOnGatewayCorePct ?? 0) > 10);
    notes.push(
      contended.length > 0
        ? `CONTENTION: other processes used the gateway's core during ${contended
            .map(([name, cpu]) => `${name} (${cpu.otherOnGatewayCorePct}% of core ${pinning.gateway})`)
            .join(', ')}: those gateway figures are understated.`
        : `No other process used more than 10% of the gateway's core during a measured phase through the gateway (per-phase CPU in the JSON).`,
    );
  }
  if (result.faults) {
    notes.push(
      `Under faults: warm-up ${phaseSeconds(warmupS)} s (unmeasured, so breakers open), then POST /__reset on every simulated provider and the measured phase. Each scenario has a fresh gateway process, booted during the previous warm-up (or, pinned, during the overhead's direct phases) and idle before any measured phase starts. Gateway config: retry max_retries 1 (base 20 ms, max 200 ms); breaker 5 failures in 10 s, cooldown 30 s; timeouts attempt_ms = first_byte_ms = 1000 ms; logging error.`,
      'errors = non-2xx + socket errors/timeouts seen by the load generator + (streaming rows) streams that ended with an error event inside an HTTP 200: Δ switchboard_requests_total{outcome∉{success,cancelled}} minus the non-2xx. "cancelled" is excluded: those are requests the load generator dropped when its phase ended.',
      "→primary/→secondary/→tertiary = chat requests each simulated provider received during the measured phase (GET /__stats \"requests\", retries included); cost = Δ switchboard_cost_usd_total over the measured phase; RSS = the scenario gateway's VmHWM; gw CPU% = the gateway's CPU during the measured phase (100 = one core) and req/s/core = req/s ÷ that, the figures to compare on a busy machine; vs base = req/s ÷ the same route's no-fault baseline.",
    );
    for (const s of result.faults.scenarios)
      if (s.status !== 'ran') notes.push(`${s.label.trim()}: n/a — ${s.note}.`);
  }
  return notes;
}

async function main() {
  let options;
  try {
    options = parseOptions();
  } catch (error) {
    log(`${error instanceof Error ? error.message : String(error)}\n\n${HELP}`);
    process.exit(64);
  }
  if (options.help) {
    process.stdout.write(HELP);
    return;
  }
  if (
    !existsSync(join(ROOT, 'dist', 'mock', 'index.js')) ||
    !existsSync(join(ROOT, 'dist', 'cli', 'main.js'))
  ) {
    throw new Error('dist/ is missing: run `npm run build` first (npm run bench does it for you)');
  }
  installCleanup(log);
  const startedAt = new Date();
  const tool = chooseLoadTool(options.tool);
  const pinning = pinningPlan(options.pin);
  if (pinning) pinSelf(pinning.others);
  /** @type {Setup} */
  const setup = {
    tool,
    latencyTool: tool === 'wrk' ? 'wrk' : 'latency-probe',
    cpuGateway: pinning?.gateway ?? null,
    cpuOthers: pinning?.others ?? null,
  };

  // Every loop is bounded; this bounds the whole run too.
  const { durationS, warmupS, latencyS, overheadWarmupS } = options.profile;
  const estimateS =
    (options.overhead ? 2 * (overheadWarmupS + durationS + 1) + 2 * (latencyS + 1) + 3 : 0) +
    (options.faults ? options.scenarios.length * (warmupS + durationS + 4) : 0) +
    5;
  const budgetMs = (estimateS * 2 + 60) * 1000;
  const watchdog = setTimeout(() => {
    log(`\nThe bench exceeded its time budget (${Math.round(budgetMs / 1000)} s): stopping.`);
    stopAll(1000).finally(() => process.exit(1));
  }, budgetMs);
  watchdog.unref();

  const tmp = mkdtempSync(join(tmpdir(), 'switchboard-bench-'));
  atExit(() => rmSync(tmp, { recursive: true, force: true }));
  try {
    log(
      `Switchboard bench (${options.mode}): load ${setup.tool}, 1-connection latency ${setup.latencyTool}, ${pinning ? 'pinned' : 'not pinned'}; about ${estimateS} s`,
    );
    const urls = await startProviders(setup.cpuOthers);
    const configPath = writeConfig(tmp, 'bench.yaml', gatewayConfig({ urls }));

    /** @type {any} */
    const result = {
      schema: 'switchboard-bench/1',
      mode: options.mode,
      startedAt: startedAt.toISOString(),
      finishedAt: null,
      settings: { connections: CONNECTIONS, ...options.profile },
      environment: {
        node: process.version,
        platform: `${process.platform} ${process.arch}`,
        cpus: cpus().length,
        cpuModel: cpus()[0]?.model ?? 'unknown',
        loadTool: setup.tool,
        latencyTool: setup.latencyTool,
        pinning: pinning?.description ?? null,
        loadAverageAtStart: loadavg()[0],
        loadAverageAtEnd: null,
        summary: '',
      },
      overhead: null,
      faults: null,
      checks: [],
      notes: [],
    };
    result.environment.summary = `Node ${process.version}, ${result.environment.cpus} CPUs (${result.environment.cpuModel.trim()}), load: ${setup.tool}${pinning ? ', pinned' : ''}`;

    const plan = options.faults ? planFaults(options, urls, configPath, tmp) : undefined;
    /** @type {Promise<RunningGateway> | undefined} */
    let firstFaultGateway;
    // Pinned, the direct phases load core 1 only: the first fault scenario's gateway boots on core 0
    // meanwhile, and idles until its turn.
    const bootFirst = () => {
      const first = plan?.runnable[0];
      if (!pinning || !first) return;
      firstFaultGateway = startGateway(/** @type {string} */ (plan.configs.get(first.id)), setup.cpuGateway);
      firstFaultGateway.catch(() => {}); // awaited (and reported) by runFaults
    };
    if (options.overhead) result.overhead = await runOverhead(options, setup, urls, configPath, bootFirst);
    if (plan) result.faults = await runFaults(options, setup, urls, plan, firstFaultGateway);

    result.checks = [
      ...(result.overhead?.checks ?? []),
      ...(result.faults?.scenarios.flatMap((/** @type {any} */ s) => s.checks) ?? []),
    ];
    result.environment.loadAverageAtEnd = loadavg()[0];
    result.notes = notesFor(options, setup, pinning, result);
    result.finishedAt = new Date().toISOString();
    result.elapsedS = (Date.now() - startedAt.getTime()) / 1000;

    process.stdout.write(`\n${renderText(result)}\n`);
    const paths = writeResults(result, options.out);
    log(`\nWrote ${paths.join(', ')} (${result.elapsedS.toFixed(0)} s)`);
    if (options.strict && result.checks.some((/** @type {any} */ c) => c.pass === false))
      process.exitCode = 2;
  } finally {
    clearTimeout(watchdog);
    await stopAll();
    rmSync(tmp, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (error) => {
    log(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    stopAll(1000).finally(() => process.exit(1));
  },
);
