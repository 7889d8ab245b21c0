/**
 * The notes under the tables: how each figure was measured. Generated from what ran — the gateway
 * config object the bench wrote (gateway-config.js), the simulated providers' specs, the profile and
 * the setup — never restated by hand, so a changed setting changes its note.
 */
import { clockTicks } from './cpu.js';
import { PROBE_WARMUP_REQUESTS, PROBE_WARMUP_SHARE } from './latency-probe.js';
import { phaseSeconds } from './load.js';

/** Another process using more than this % of the gateway's core during a phase is reported. */
export const CONTENTION_PCT = 10;
/** A 1-minute load average above this at the start earns a caution. */
const BUSY_LOAD_AVERAGE = 0.5;
/** The config sections that decide how the gateway behaves under faults, in the order described. */
const RESILIENCE_SECTIONS = ['retry', 'retry_budget', 'circuit_breaker', 'timeouts', 'logging'];

/** A config value in words; a `_ms` of a second or more also in seconds. @param {string} key @param {unknown} value */
function valueText(key, value) {
  if (typeof value === 'number' && key.endsWith('_ms') && value >= 1000)
    return `${value} (${value / 1000} s)`;
  return typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
}

/**
 * One config section as "section: key value, key value".
 * @param {string} name
 * @param {unknown} section
 */
function sectionText(name, section) {
  if (typeof section !== 'object' || section === null) return `${name}: ${String(section)}`;
  const fields = Object.entries(section).map(([k, v]) => `${k} ${valueText(k, v)}`);
  return `${name}: ${fields.join(', ')}`;
}

/**
 * The gateway config as the notes describe it: its resilience sections, the providers' connection
 * pools and the ledger, from the object the bench wrote as YAML.
 * @param {Record<string, any>} config
 */
export function describeGatewayConfig(config) {
  const sections = RESILIENCE_SECTIONS.filter((s) => config[s] !== undefined).map((s) =>
    sectionText(s, config[s]),
  );
  const pools = new Set(Object.values(config.providers ?? {}).map((p) => p?.max_connections ?? 'default'));
  sections.push(`providers: max_connections ${[...pools].join('/')} each`);
  sections.push(`ledger: ${config.ledger === undefined ? 'default' : valueText('ledger', config.ledger)}`);
  return sections.join('; ');
}

/**
 * @param {import('./simulated-providers.js').ProviderSpec[]} providers
 */
function providersText(providers) {
  const latencies = new Set(providers.map((p) => p.latencyMs));
  const paces = new Set(providers.map((p) => p.tokensPerSec));
  const pace = [...paces].map((t) => (t === 0 ? 'unpaced (a healthy answer is one write)' : `${t} chunks/s`));
  return `Simulated providers: ${providers.length} (${providers.map((p) => p.name).join(', ')}) in one process, latency ${[...latencies].join('/')} ms, streams ${pace.join('/')}.`;
}

/**
 * @param {{ options: import('./options.js').Options, setup: import('./measure.js').Setup, pinning: { description: string, gateway: string } | null, result: any, gatewayConfig: Record<string, any> }} input
 */
export function notesFor({ options, setup, pinning, result, gatewayConfig }) {
  const notes = [];
  const { durationS, warmupS, latencyS, overheadWarmupS } = options.profile;
  const c = options.connections;
  const tool = setup.tool === 'wrk' ? 'wrk (µs latency resolution)' : 'autocannon (1 ms latency resolution)';
  notes.push(`Load generator: ${tool}, ${c} keep-alive connections, one request at a time each.`);
  notes.push(providersText(setup.providers));
  if (result.overhead) {
    const probe = `bench/lib/latency-probe.js (sequential POSTs over one keep-alive undici connection, hrtime, warm-up of ${PROBE_WARMUP_REQUESTS} requests or the first ${PROBE_WARMUP_SHARE * 100}% of the time discarded), ${phaseSeconds(latencyS)} s`;
    notes.push(
      `Overhead: ${phaseSeconds(durationS)} s measured after ${phaseSeconds(overheadWarmupS)} s of unmeasured warm-up per target; 1-connection rows: ${
        setup.latencyTool === 'wrk' ? `wrk -c1, ${phaseSeconds(latencyS)} s` : probe
      }. The JSON load and the stream load each have their own gateway process: RSS from /proc/<gateway pid>/status, VmRSS before any load, VmHWM after each load's phases.`,
    );
    const stream = setup.providers.find((p) => p.name === 'stream');
    notes.push(
      `Streams: every answer is ${stream?.words ?? 'n/a'} content chunks (one word each) between the role chunk and the finish chunk, then the usage chunk (the request sets stream_options.include_usage, as the gateway does upstream) and [DONE]; measured by ${setup.tool}, which counts a response once its whole body has arrived (its HTTP parser reads the chunked SSE body to the last chunk), so a stream's latency is to its last byte. Stream errors = the load tool's + streams the gateway counted as failed inside an HTTP 200 (/metrics).`,
    );
    notes.push(
      "floor (no logic) = the same gateway loads through bench/floor-proxy.js, on the gateway's core with its flags and config: node:http in, an undici Pool out, the body parsed and re-sent, the answer copied back; no validation, routing, events, metrics or parsing of the answer (its own process per load, like the gateway). It is the least any Node proxy pays on this machine and runtime: a goal the floor itself misses cannot be met by adding logic on top of it.",
    );
    notes.push(
      `CPU µs per request = the gateway's CPU time in the measured phase (utime + stime of every thread, /proc/<pid>/stat, in ticks of ${1000 / clockTicks()} ms) ÷ the responses the load tool received in it.`,
    );
  }
  const busy = result.environment.loadAverageAtStart;
  if (busy > BUSY_LOAD_AVERAGE) {
    notes.push(
      `CAUTION: the 1-minute load average was ${busy.toFixed(2)} when the run started (other processes were using the CPUs); the figures may be noisy.`,
    );
  }
  notes.push(
    pinning
      ? `Pinning: ${pinning.description}.`
      : 'Pinning: none (taskset missing or unusable, one core, or --no-pin).',
  );
  if (pinning) notes.push(contentionNote(pinning, result, c));
  if (setup.gatewayNodeArgs.length > 0 || setup.gatewayLogDir !== null)
    notes.push(gatewaysNote(setup, result));
  if (result.faults) {
    notes.push(
      `Under faults: warm-up ${phaseSeconds(warmupS)} s (unmeasured, so breakers open), then POST /__reset on every simulated provider and the measured phase. Each scenario has a fresh gateway process, booted during the previous warm-up (or, pinned, during the overhead's direct phases) and idle before any measured phase starts. Gateway config: ${describeGatewayConfig(gatewayConfig)}.`,
      'errors = non-2xx + socket errors/timeouts seen by the load generator + (streaming rows) streams that ended with an error event inside an HTTP 200: Δ switchboard_requests_total{outcome∉{success,cancelled}} minus the non-2xx. "cancelled" is excluded: those are requests the load generator dropped when its phase ended.',
      "→primary/→secondary/→tertiary = chat requests each simulated provider received during the measured phase (GET /__stats \"requests\", retries included); cost = Δ switchboard_cost_usd_total over the measured phase; RSS = the scenario gateway's VmHWM; gw CPU% = the gateway's CPU during the measured phase (100 = one core) and req/s/core = req/s ÷ that, the figures to compare on a busy machine; vs base = req/s ÷ the same route's no-fault baseline.",
    );
    for (const s of result.faults.scenarios)
      if (s.status !== 'ran') notes.push(`${s.label.trim()}: n/a — ${s.note}.`);
  }
  return notes;
}

/**
 * Whether another process used the gateway's core during a measured phase through the gateway.
 * @param {{ gateway: string }} pinning
 * @param {any} result
 * @param {number} c connections of the loaded phases
 */
function contentionNote(pinning, result, c) {
  /** @type {Array<[string, any]>} */
  const phases = [];
  if (result.overhead) {
    const p = result.overhead.phases;
    phases.push([`overhead @${c}`, p.gateway32.cpu], ['overhead @1', p.gateway1.cpu]);
    phases.push([`overhead streams @${c}`, p.gatewayStream32.cpu]);
  }
  for (const s of result.faults?.scenarios ?? []) if (s.status === 'ran') phases.push([s.id, s.cpu]);
  const contended = phases.filter(([, cpu]) => (cpu?.otherOnGatewayCorePct ?? 0) > CONTENTION_PCT);
  return contended.length > 0
    ? `CONTENTION: other processes used the gateway's core during ${contended
        .map(([name, cpu]) => `${name} (${cpu.otherOnGatewayCorePct}% of core ${pinning.gateway})`)
        .join(', ')}: those gateway figures are understated.`
    : `No other process used more than ${CONTENTION_PCT}% of the gateway's core during a measured phase through the gateway (per-phase CPU in the JSON).`;
}

/**
 * Which gateway process served what (a profile or log file carries the pid), and under which flags.
 * @param {import('./measure.js').Setup} setup
 * @param {any} result
 */
function gatewaysNote(setup, result) {
  const pids = [];
  if (result.overhead) {
    pids.push(
      `JSON load ${result.overhead.gatewayPids.json}`,
      `stream load ${result.overhead.gatewayPids.stream}`,
    );
  }
  for (const s of result.faults?.scenarios ?? [])
    if (s.status === 'ran') pids.push(`${s.id} ${s.gatewayPid}`);
  const flags =
    setup.gatewayNodeArgs.length > 0
      ? ` ran with extra node flags ${setup.gatewayNodeArgs.join(' ')} (profiling costs CPU: compare these figures only with a run under the same flags)`
      : '';
  const logs =
    setup.gatewayLogDir !== null ? `; their output is in ${setup.gatewayLogDir}/gateway-<pid>.log` : '';
  return `Gateway processes${flags}${logs}; pids: ${pids.join(', ')}.`;
}
