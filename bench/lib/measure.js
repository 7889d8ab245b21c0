/**
 * Measuring one phase: the load (or, at one connection, wrk or the latency probe) with the CPU the
 * gateway used meanwhile, and the figures derived from that CPU (req/s per core, CPU µs per request).
 */
import { watchCpu } from './cpu.js';
import { runLatencyProbe } from './latency-probe.js';
import { runLoad } from './load.js';

/**
 * @typedef {{ tool: 'wrk' | 'autocannon', latencyTool: 'wrk' | 'latency-probe', cpuGateway: string | null, cpuOthers: string | null, gatewayNodeArgs: string[], gatewayLogDir: string | null, providers: import('./simulated-providers.js').ProviderSpec[] }} Setup
 *   how this run measures: the load tool, the 1-connection latency tool, the cores (when pinned),
 *   extra node flags for the gateway processes and where their output goes, the simulated providers it starts
 */

/**
 * Requests per second per core of gateway CPU: the gateway's efficiency, which other processes on
 * a shared machine disturb far less than its raw throughput.
 * @param {number} rps
 * @param {import('./cpu.js').CpuUsage | null} cpu
 */
export function perCore(rps, cpu) {
  const pct = cpu?.gatewayPct;
  return typeof pct === 'number' && pct > 0 ? rps / (pct / 100) : Number.NaN;
}

/**
 * Gateway CPU time per request, in µs: the CPU the gateway used in the phase ÷ the responses the
 * load tool received in it.
 * @param {number} requests
 * @param {import('./cpu.js').CpuUsage | null} cpu
 */
export function cpuUsPerRequest(requests, cpu) {
  const cpuS = cpu?.gatewayCpuS;
  return typeof cpuS === 'number' && requests > 0 ? (cpuS * 1e6) / requests : Number.NaN;
}

/**
 * Runs a measured phase and records the CPU it used (see lib/cpu.js).
 * @template {object} T
 * @param {Setup} setup
 * @param {{ child: { pid: number } }} gateway
 * @param {() => Promise<T>} phase
 * @returns {Promise<T & { cpu: import('./cpu.js').CpuUsage | null }>}
 */
export async function withCpu(setup, gateway, phase) {
  const watch = watchCpu({ gatewayPid: gateway.child.pid, gatewayCore: setup.cpuGateway });
  const result = await phase();
  return { ...result, cpu: watch.stop() };
}

/**
 * `connections` keep-alive connections POSTing `body` to `url` for `durationS` (the load tool).
 * @param {Setup} setup
 * @param {{ url: string, body: string }} target
 * @param {number} connections
 * @param {number} durationS
 */
export function loadPhase(setup, target, connections, durationS) {
  return runLoad({ tool: setup.tool, ...target, connections, durationS, cpu: setup.cpuOthers });
}

/**
 * 1-connection latency: wrk when it is the load tool (µs resolution), else the latency probe.
 * @param {Setup} setup
 * @param {{ url: string, body: string }} target
 * @param {number} durationS
 * @returns {Promise<import('./load.js').LoadResult | import('./latency-probe.js').ProbeResult>}
 */
export function latencyPhase(setup, { url, body }, durationS) {
  if (setup.latencyTool === 'wrk') {
    return runLoad({ tool: 'wrk', url, body, connections: 1, durationS, cpu: setup.cpuOthers });
  }
  return runLatencyProbe({ url, body, durationS, cpu: setup.cpuOthers });
}
