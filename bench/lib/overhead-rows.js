/**
 * The overhead table: one row per figure (direct, gateway, their difference or ratio, the target
 * and its verdict, the tool that measured it), built from the measured phases of overhead.js.
 */
import { SINGLE_ROUTE, STREAM_ROUTE } from './gateway-config.js';
import { cpuUsPerRequest, perCore } from './measure.js';
import { overheadChecks, TARGETS } from './targets.js';

/**
 * @typedef {(import('./load.js').LoadResult | import('./latency-probe.js').ProbeResult) & { cpu: import('./cpu.js').CpuUsage | null }} Phase
 * @typedef {{ direct32: Phase, direct1: Phase, gateway32: Phase, gateway1: Phase, directStream32: Phase, gatewayStream32: Phase & { streamErrorEvents: number } }} Phases
 * @typedef {{ idleRssMb: number, peakRssMb: number, streamPeakRssMb: number }} Memory
 * @typedef {{ phases: { floor32: Phase, floor1: Phase, floorStream32: Phase }, memory: Memory }} Floor
 *   the same loads through bench/floor-proxy.js (no logic): each row's `floor` figure
 */

/** A figure the tool could not measure (null in its JSON) as NaN. @param {unknown} v */
const num = (v) => (typeof v === 'number' ? v : Number.NaN);

/**
 * A latency row's figures: direct, gateway, gateway − direct and gateway ÷ direct.
 * @param {Phase} d
 * @param {Phase} g
 * @param {'p50Ms' | 'p99Ms'} key
 */
function msFigures(d, g, key) {
  const [dv, gv] = [num(d[key]), num(g[key])];
  return { unit: 'ms', direct: dv, gateway: gv, delta: gv - dv, ratio: gv / dv };
}

/**
 * A gateway-only row (no direct figure).
 * @param {string} id
 * @param {string} metric
 * @param {string} unit
 * @param {number} gateway
 * @param {string} tool
 * @param {{ target?: string | null, verdict?: boolean | null }} [judged]
 */
function gatewayRow(id, metric, unit, gateway, tool, { target = null, verdict = undefined } = {}) {
  return { id, metric, unit, direct: null, gateway, target, verdict, tool };
}

/**
 * The floor's figure for each row that has one (by row id), with its ratio to direct.
 * @param {Floor} floor
 */
function floorFigures({ phases, memory }) {
  const { floor32, floor1, floorStream32 } = phases;
  /** @type {Record<string, number>} */
  const figures = {
    'rps-32': floor32.rps,
    'p50-1': num(floor1.p50Ms),
    'p99-1': num(floor1.p99Ms),
    'p50-32': num(floor32.p50Ms),
    'p99-32': num(floor32.p99Ms),
    errors: floor32.errors + floor1.errors,
    'cpu-32': num(floor32.cpu?.gatewayPct),
    'rps-per-core-32': perCore(floor32.rps, floor32.cpu),
    'cpu-us-per-req-32': cpuUsPerRequest(floor32.requests, floor32.cpu),
    'stream-rps-32': floorStream32.rps,
    'stream-p50-32': num(floorStream32.p50Ms),
    'stream-p99-32': num(floorStream32.p99Ms),
    'stream-errors': floorStream32.errors,
    'stream-cpu-32': num(floorStream32.cpu?.gatewayPct),
    'stream-cpu-us-per-req-32': cpuUsPerRequest(floorStream32.requests, floorStream32.cpu),
    'rss-idle': memory.idleRssMb,
    'rss-peak': memory.peakRssMb,
    'stream-rss-peak': memory.streamPeakRssMb,
  };
  return figures;
}

/**
 * @param {{ options: import('./options.js').Options, setup: import('./measure.js').Setup, phases: Phases, memory: Memory, floor: Floor, gatewayPids: { json: number, stream: number } }} input
 *   gatewayPids: the gateway process of each load (a profile's file name carries its pid)
 */
export function overheadResult({ options, setup, phases, memory, floor, gatewayPids }) {
  const { direct32, direct1, gateway32, gateway1, directStream32, gatewayStream32 } = phases;
  const c = options.connections;
  const checks = overheadChecks({ connections: c, ...phases, memory });
  const tools = `${setup.tool}${setup.latencyTool !== setup.tool ? ` + ${setup.latencyTool}` : ''}`;
  const rows = [
    {
      id: 'rps-32',
      metric: `req/s @${c} conn`,
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
      ...msFigures(direct1, gateway1, 'p50Ms'),
      ratio: null,
      target: `Δ ≤ ${TARGETS.addedP50Ms.toFixed(2)} ms`,
      verdict: checks.p50at1.pass,
      tool: setup.latencyTool,
    },
    {
      id: 'p99-1',
      metric: 'p99 @1 conn (ms)',
      ...msFigures(direct1, gateway1, 'p99Ms'),
      ratio: null,
      target: null,
      verdict: undefined,
      tool: setup.latencyTool,
    },
    {
      id: 'p50-32',
      metric: `p50 @${c} conn (ms)`,
      ...msFigures(direct32, gateway32, 'p50Ms'),
      ratio: null,
      target: null,
      verdict: undefined,
      tool: setup.tool,
    },
    {
      id: 'p99-32',
      metric: `p99 @${c} conn (ms)`,
      ...msFigures(direct32, gateway32, 'p99Ms'),
      target: `≤ ${TARGETS.p99Ratio}× direct`,
      verdict: checks.p99at32.pass,
      tool: setup.tool,
    },
    {
      id: 'errors',
      metric: 'client errors (JSON phases)',
      unit: 'count',
      direct: direct32.errors + direct1.errors,
      gateway: gateway32.errors + gateway1.errors,
      target: null,
      verdict: undefined,
      tool: tools,
    },
    gatewayRow(
      'cpu-32',
      `gateway CPU @${c} conn (%)`,
      'pct',
      num(gateway32.cpu?.gatewayPct),
      '/proc/<pid>/stat',
    ),
    gatewayRow(
      'rps-per-core-32',
      `gateway req/s per CPU core @${c}`,
      'rps',
      perCore(gateway32.rps, gateway32.cpu),
      `${setup.tool} ÷ CPU`,
    ),
    gatewayRow(
      'cpu-us-per-req-32',
      `gateway CPU µs per request @${c}`,
      'us',
      cpuUsPerRequest(gateway32.requests, gateway32.cpu),
      `CPU ÷ ${setup.tool} requests`,
    ),
    {
      id: 'stream-rps-32',
      metric: `stream req/s @${c} conn`,
      unit: 'rps',
      direct: directStream32.rps,
      gateway: gatewayStream32.rps,
      ratio: gatewayStream32.rps / directStream32.rps,
      target: `≥ ${TARGETS.streamThroughputRatio}× direct`,
      verdict: checks.streamRps32.pass,
      tool: setup.tool,
    },
    {
      id: 'stream-p50-32',
      metric: `stream p50 @${c} conn (ms)`,
      ...msFigures(directStream32, gatewayStream32, 'p50Ms'),
      ratio: null,
      target: null,
      verdict: undefined,
      tool: setup.tool,
    },
    {
      id: 'stream-p99-32',
      metric: `stream p99 @${c} conn (ms)`,
      ...msFigures(directStream32, gatewayStream32, 'p99Ms'),
      target: `≤ ${TARGETS.streamP99Ratio}× direct`,
      verdict: checks.streamP99at32.pass,
      tool: setup.tool,
    },
    {
      id: 'stream-errors',
      metric: 'client errors (stream phases)',
      unit: 'count',
      direct: directStream32.errors,
      gateway: gatewayStream32.errors,
      target: null,
      verdict: undefined,
      tool: `${setup.tool} + /metrics`,
    },
    gatewayRow(
      'stream-cpu-32',
      `gateway CPU, streams @${c} conn (%)`,
      'pct',
      num(gatewayStream32.cpu?.gatewayPct),
      '/proc/<pid>/stat',
    ),
    gatewayRow(
      'stream-cpu-us-per-req-32',
      `gateway CPU µs per stream @${c}`,
      'us',
      cpuUsPerRequest(gatewayStream32.requests, gatewayStream32.cpu),
      `CPU ÷ ${setup.tool} requests`,
    ),
    gatewayRow('rss-idle', 'gateway RSS idle (MB)', 'MB', memory.idleRssMb, '/proc VmRSS'),
    gatewayRow('rss-peak', 'gateway RSS peak, JSON load (MB)', 'MB', memory.peakRssMb, '/proc VmHWM', {
      target: `≤ ${TARGETS.peakRssMb} MB`,
      verdict: checks.peakRss.pass,
    }),
    gatewayRow(
      'stream-rss-peak',
      'gateway RSS peak, stream load (MB)',
      'MB',
      memory.streamPeakRssMb,
      '/proc VmHWM',
      { target: `≤ ${TARGETS.peakRssMb} MB`, verdict: checks.streamPeakRss.pass },
    ),
  ];
  const floorOf = floorFigures(floor);
  for (const row of rows) {
    const value = floorOf[row.id];
    /** @type {any} */ (row).floor = value ?? null;
    if (value !== undefined && typeof row.direct === 'number') {
      /** @type {any} */ (row).floorRatio = value / row.direct;
      /** @type {any} */ (row).floorDelta = value - row.direct;
    }
  }
  const solo = setup.providers.find((p) => p.name === 'solo');
  return {
    title: `single-model routes "${SINGLE_ROUTE}" (JSON) and "${STREAM_ROUTE}" (streamed, ${options.streamChunks} content chunks per answer), healthy, provider latency ${solo?.latencyMs ?? 'n/a'} ms; the same load direct to the simulated provider and through the gateway, ${c} connections`,
    rows,
    phases,
    memory,
    floor,
    gatewayPids,
    checks: Object.values(checks),
  };
}
