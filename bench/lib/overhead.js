/**
 * The overhead phases: the same load direct to a simulated provider and through the gateway, for
 * JSON answers and for streamed ones. Each load has its own gateway process, so each peak RSS
 * (VmHWM) is that load's alone:
 *
 *   JSON:    direct at N connections, direct at 1, gateway at N, gateway at 1   (route "single", provider "solo")
 *   streams: direct at N connections, gateway at N              (route "single-stream", provider "stream")
 *   floor:   the same gateway phases through bench/floor-proxy.js (node:http in, undici out, no
 *            logic), one process per load: the least any Node proxy pays on this machine, so a
 *            goal the floor itself misses is the hardware's and runtime's, not the gateway's
 *
 * Every measured phase follows an unmeasured warm-up of the same load; the rows and checks are
 * built from the phases by overhead-rows.js.
 */
import {
  chatBody,
  SINGLE_ROUTE,
  SOLO_UPSTREAM_MODEL,
  STREAM_ROUTE,
  STREAM_UPSTREAM_MODEL,
} from './gateway-config.js';
import { bootFloor, bootGateway, waitForIdle } from './gateway-process.js';
import { getText, sleep } from './http.js';
import { progress } from './log.js';
import { latencyPhase, loadPhase, withCpu } from './measure.js';
import { readMemory } from './memory.js';
import { deltaOf, snapshotOf } from './metrics.js';
import { overheadResult } from './overhead-rows.js';
import { stop } from './processes.js';

/**
 * @typedef {import('./options.js').Options} Options
 * @typedef {import('./measure.js').Setup} Setup
 * @typedef {import('./gateway-process.js').RunningGateway} RunningGateway
 */

/**
 * An unmeasured warm-up of a load, then the same load measured with the CPU `proc` used meanwhile.
 * @param {Options} options
 * @param {Setup} setup
 * @param {RunningGateway} proc the process whose CPU is read (the gateway or the floor)
 * @param {{ url: string, body: string }} target
 * @param {string} label e.g. "JSON gateway"
 */
async function warmThenMeasure(options, setup, proc, target, label) {
  const { durationS, overheadWarmupS } = options.profile;
  const n = options.connections;
  progress(`[overhead] ${label}, ${n} connections: warm-up ${overheadWarmupS} s, then ${durationS} s`);
  await loadPhase(setup, target, n, overheadWarmupS);
  return withCpu(setup, proc, () => loadPhase(setup, target, n, durationS));
}

/**
 * A proxy's JSON phases (the gateway's or the floor's): N connections after a warm-up, then one
 * connection, and its peak RSS after both.
 * @param {Options} options
 * @param {Setup} setup
 * @param {RunningGateway} proxy
 * @param {string} name "gateway" or "floor"
 */
async function proxyJsonPhases(options, setup, proxy, name) {
  const through = { url: `${proxy.url}/v1/chat/completions`, body: chatBody(SINGLE_ROUTE) };
  const at32 = await warmThenMeasure(options, setup, proxy, through, `JSON ${name}`);
  const { latencyS } = options.profile;
  progress(`[overhead] JSON ${name}, 1 connection (${setup.latencyTool}), ${latencyS} s`);
  const at1 = await withCpu(setup, proxy, () => latencyPhase(setup, through, latencyS));
  return { at32, at1, peakRssMb: readMemory(proxy.child.pid)?.peakRssMb ?? Number.NaN };
}

/**
 * JSON: the four phases on one gateway, its RSS idle (before any load) and peak (after).
 * @param {Options} options
 * @param {Setup} setup
 * @param {Record<string, string>} urls
 * @param {string} configPath
 * @param {() => void} duringDirect runs as the direct phases start
 */
async function runJsonLoad(options, setup, urls, configPath, duringDirect) {
  const { latencyS } = options.profile;
  const gateway = await bootGateway(setup, configPath);
  try {
    await sleep(200);
    const idle = readMemory(gateway.child.pid);
    const direct = { url: `${urls.solo}/v1/chat/completions`, body: chatBody(SOLO_UPSTREAM_MODEL) };
    duringDirect();
    const direct32 = await warmThenMeasure(options, setup, gateway, direct, 'JSON direct');
    progress(`[overhead] JSON direct, 1 connection (${setup.latencyTool}), ${latencyS} s`);
    const direct1 = await withCpu(setup, gateway, () => latencyPhase(setup, direct, latencyS));
    const through = await proxyJsonPhases(options, setup, gateway, 'gateway');
    return {
      gatewayPid: gateway.child.pid,
      phases: { direct32, direct1, gateway32: through.at32, gateway1: through.at1 },
      idleRssMb: idle?.rssMb ?? Number.NaN,
      peakRssMb: through.peakRssMb,
    };
  } finally {
    await stop(gateway.child);
  }
}

/**
 * Streams: direct at N connections, then through a fresh gateway at N (it boots during the direct warm-up), with
 * the gateway's own count of the streams that failed inside an HTTP 200 (which the load tool
 * counts as successes).
 * @param {Options} options
 * @param {Setup} setup
 * @param {Record<string, string>} urls
 * @param {string} configPath
 */
async function runStreamLoad(options, setup, urls, configPath) {
  const { durationS, overheadWarmupS } = options.profile;
  const n = options.connections;
  const body = (/** @type {string} */ model) => chatBody(model, true, { usage: true });
  const direct = { url: `${urls.stream}/v1/chat/completions`, body: body(STREAM_UPSTREAM_MODEL) };
  const chunks = `${options.streamChunks} content chunks per answer`;

  progress(
    `[overhead] stream direct (${chunks}), ${n} connections: warm-up ${overheadWarmupS} s, then ${durationS} s`,
  );
  const booting = bootGateway(setup, configPath);
  booting.catch(() => {}); // awaited below
  await loadPhase(setup, direct, n, overheadWarmupS);
  const gateway = await booting;
  try {
    const through = { url: `${gateway.url}/v1/chat/completions`, body: body(STREAM_ROUTE) };
    const directStream32 = await withCpu(setup, gateway, () => loadPhase(setup, direct, n, durationS));

    progress(
      `[overhead] stream gateway, ${n} connections: warm-up ${overheadWarmupS} s, then ${durationS} s`,
    );
    await loadPhase(setup, through, n, overheadWarmupS);
    await waitForIdle(gateway.url);
    const before = snapshotOf(await getText(`${gateway.url}/metrics`));
    const measured = await withCpu(setup, gateway, () => loadPhase(setup, through, n, durationS));
    await waitForIdle(gateway.url);
    const delta = deltaOf(before, snapshotOf(await getText(`${gateway.url}/metrics`)));
    const peak = readMemory(gateway.child.pid);
    // A stream that breaks after its first content ends with an error event inside an HTTP 200.
    const streamErrorEvents = Math.max(0, delta.failures - measured.non2xx);
    const gatewayStream32 = {
      ...measured,
      streamErrorEvents,
      errors: measured.errors + streamErrorEvents,
      // The gateway's own count, to compare with the load tool's: every stream it counted as done.
      gatewayOutcomes: delta.byOutcome,
    };
    return {
      gatewayPid: gateway.child.pid,
      phases: { directStream32, gatewayStream32 },
      peakRssMb: peak?.peakRssMb ?? Number.NaN,
    };
  } finally {
    await stop(gateway.child);
  }
}

/**
 * The floor proxy under the gateway's loads: JSON at N connections and at 1 on one process (its RSS
 * idle and peak), streams at N on a second.
 * @param {Options} options
 * @param {Setup} setup
 * @param {string} configPath
 */
async function runFloorLoads(options, setup, configPath) {
  const json = await bootFloor(setup, configPath);
  let idle;
  let jsonPhases;
  try {
    await sleep(200);
    idle = readMemory(json.child.pid);
    jsonPhases = await proxyJsonPhases(options, setup, json, 'floor');
  } finally {
    await stop(json.child);
  }
  const stream = await bootFloor(setup, configPath);
  try {
    const body = chatBody(STREAM_ROUTE, true, { usage: true });
    const through = { url: `${stream.url}/v1/chat/completions`, body };
    const floorStream32 = await warmThenMeasure(options, setup, stream, through, 'stream floor');
    return {
      phases: { floor32: jsonPhases.at32, floor1: jsonPhases.at1, floorStream32 },
      memory: {
        idleRssMb: idle?.rssMb ?? Number.NaN,
        peakRssMb: jsonPhases.peakRssMb,
        streamPeakRssMb: readMemory(stream.child.pid)?.peakRssMb ?? Number.NaN,
      },
    };
  } finally {
    await stop(stream.child);
  }
}

/**
 * The overhead figures (the JSON direct phases first; `duringDirect` runs as they start).
 * @param {Options} options
 * @param {Setup} setup
 * @param {Record<string, string>} urls
 * @param {string} configPath
 * @param {() => void} [duringDirect]
 */
export async function runOverhead(options, setup, urls, configPath, duringDirect = () => {}) {
  const json = await runJsonLoad(options, setup, urls, configPath, duringDirect);
  const stream = await runStreamLoad(options, setup, urls, configPath);
  const floor = await runFloorLoads(options, setup, configPath);
  return overheadResult({
    options,
    setup,
    phases: { ...json.phases, ...stream.phases },
    memory: { idleRssMb: json.idleRssMb, peakRssMb: json.peakRssMb, streamPeakRssMb: stream.peakRssMb },
    floor,
    gatewayPids: { json: json.gatewayPid, stream: stream.gatewayPid },
  });
}
