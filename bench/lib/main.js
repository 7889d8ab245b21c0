/**
 * The bench run from start to end: read the options, start the simulated providers and write the
 * gateway config, run the overhead phases and the fault scenarios, gather the checks and the notes,
 * print the report and write the results. Every child process is stopped however the run ends, and
 * a watchdog bounds the whole run.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { planFaults } from './fault-plan.js';
import { runFaults } from './faults.js';
import { gatewayConfig, writeConfig } from './gateway-config.js';
import { bootGateway } from './gateway-process.js';
import { chooseLoadTool } from './load.js';
import { log } from './log.js';
import { notesFor } from './notes.js';
import { HELP, parseOptions, ROOT } from './options.js';
import { runOverhead } from './overhead.js';
import { atExit, installCleanup, pinningPlan, pinSelf, stopAll } from './processes.js';
import { OUTAGE_MS, runRecovery } from './recovery.js';
import { renderText, writeResults } from './report.js';
import { providerSpecs, startProviders } from './simulated-providers.js';

/**
 * About how long a run takes, in seconds (the watchdog allows twice that and a minute).
 * @param {import('./options.js').Options} options
 */
function estimateSeconds(options) {
  const { durationS, warmupS, latencyS, overheadWarmupS } = options.profile;
  const loadPhases = 6; // JSON and streams, each direct, through the gateway and through the floor
  const overhead = loadPhases * (overheadWarmupS + durationS + 1) + 3 * (latencyS + 1) + 8;
  const faults = options.scenarios.length * (warmupS + durationS + 4);
  const recovery = OUTAGE_MS[/** @type {'full' | 'quick' | 'tiny'} */ (options.mode)] / 1000 + 20;
  return (
    (options.overhead ? overhead : 0) + (options.faults ? faults : 0) + (options.recovery ? recovery : 0) + 5
  );
}

/**
 * @param {import('./options.js').Options} options
 * @param {import('./measure.js').Setup} setup
 * @param {{ description: string } | null} pinning
 */
function emptyResult(options, setup, pinning) {
  const cpu = cpus();
  const environment = {
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    cpus: cpu.length,
    cpuModel: cpu[0]?.model ?? 'unknown',
    loadTool: setup.tool,
    latencyTool: setup.latencyTool,
    pinning: pinning?.description ?? null,
    loadAverageAtStart: loadavg()[0],
    loadAverageAtEnd: /** @type {number | null} */ (null),
    summary: '',
  };
  environment.summary = `Node ${process.version}, ${environment.cpus} CPUs (${environment.cpuModel.trim()}), load: ${setup.tool}${pinning ? ', pinned' : ''}`;
  return {
    schema: 'switchboard-bench/1',
    mode: options.mode,
    startedAt: new Date().toISOString(),
    finishedAt: /** @type {string | null} */ (null),
    settings: { connections: options.connections, ...options.profile, streamChunks: options.streamChunks },
    environment,
    /** @type {any} */
    overhead: null,
    /** @type {any} */
    faults: null,
    recovery: null,
    /** @type {any[]} */
    checks: [],
    /** @type {string[]} */
    notes: [],
    elapsedS: 0,
  };
}

export async function main() {
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
  const tool = chooseLoadTool(options.tool);
  const pinning = pinningPlan(options.pin);
  if (pinning) pinSelf(pinning.others);
  /** @type {import('./measure.js').Setup} */
  const setup = {
    tool,
    latencyTool: tool === 'wrk' ? 'wrk' : 'latency-probe',
    cpuGateway: pinning?.gateway ?? null,
    cpuOthers: pinning?.others ?? null,
    gatewayNodeArgs: options.gatewayNodeArgs,
    gatewayLogDir: options.gatewayLogDir,
    providers: providerSpecs({ streamChunks: options.streamChunks }),
  };

  // Every loop is bounded; this bounds the whole run too.
  const estimateS = estimateSeconds(options);
  const budgetMs = (estimateS * 2 + 60) * 1000;
  const watchdog = setTimeout(() => {
    log(`\nThe bench exceeded its time budget (${Math.round(budgetMs / 1000)} s): stopping.`);
    stopAll(1000).finally(() => process.exit(1));
  }, budgetMs);
  watchdog.unref();

  if (options.gatewayLogDir !== null) mkdirSync(options.gatewayLogDir, { recursive: true });
  const tmp = mkdtempSync(join(tmpdir(), 'switchboard-bench-'));
  atExit(() => rmSync(tmp, { recursive: true, force: true }));
  try {
    log(
      `Switchboard bench (${options.mode}): load ${setup.tool}, 1-connection latency ${setup.latencyTool}, ${pinning ? 'pinned' : 'not pinned'}; about ${estimateS} s`,
    );
    const result = emptyResult(options, setup, pinning);
    const urls = await startProviders(setup.providers, setup.cpuOthers);
    const config = gatewayConfig({ urls });
    const configPath = writeConfig(tmp, 'bench.yaml', config);

    const plan = options.faults ? planFaults(options, urls, configPath, tmp) : undefined;
    /** @type {Promise<import('./gateway-process.js').RunningGateway> | undefined} */
    let firstFaultGateway;
    // Pinned, the direct phases load core 1 only: the first fault scenario's gateway boots on core 0
    // meanwhile, and idles until its turn.
    const bootFirst = () => {
      const first = plan?.runnable[0];
      if (!pinning || !first) return;
      const path = /** @type {string} */ (plan.configs.get(first.id));
      firstFaultGateway = bootGateway(setup, path);
      firstFaultGateway.catch(() => {}); // awaited (and reported) by runFaults
    };
    if (options.overhead) result.overhead = await runOverhead(options, setup, urls, configPath, bootFirst);
    if (plan) result.faults = await runFaults(options, setup, urls, plan, firstFaultGateway);
    if (options.recovery) {
      log('[recovery] primary down, then healed: how long until traffic returns');
      result.recovery = await runRecovery(options, setup, urls, configPath);
    }

    result.checks = [
      ...(result.overhead?.checks ?? []),
      ...(result.faults?.scenarios.flatMap((/** @type {any} */ s) => s.checks) ?? []),
      ...(result.recovery?.checks ?? []),
    ];
    result.environment.loadAverageAtEnd = loadavg()[0] ?? null;
    result.notes = notesFor({ options, setup, pinning, result, gatewayConfig: config });
    result.finishedAt = new Date().toISOString();
    result.elapsedS = (Date.now() - Date.parse(result.startedAt)) / 1000;

    process.stdout.write(`\n${renderText(result)}\n`);
    const paths = writeResults(result, options.out);
    log(`\nWrote ${paths.join(', ')} (${result.elapsedS.toFixed(0)} s)`);
    if (options.strict && result.checks.some((c) => c.pass === false)) process.exitCode = 2;
  } finally {
    clearTimeout(watchdog);
    await stopAll();
    rmSync(tmp, { recursive: true, force: true });
  }
}
