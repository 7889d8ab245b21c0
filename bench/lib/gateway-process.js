/**
 * A gateway process of the bench (`switchboard serve` from bin/, on a free port): start it and wait
 * until it answers, and wait until it has no request in flight. Each fault scenario and each
 * overhead load gets its own.
 */
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { getJson, getText, sleep } from './http.js';
import { parsePrometheus, sumOf } from './metrics.js';
import { ROOT } from './options.js';
import { ORPHAN_GUARD, spawnManaged, stop, waitForLine } from './processes.js';

export const BIN = join(ROOT, 'bin', 'switchboard.js');
/** The floor (bench/floor-proxy.js): node:http in, undici out, no logic; the overhead's reference. */
export const FLOOR = join(ROOT, 'bench', 'floor-proxy.js');

/**
 * @typedef {{ child: import('./processes.js').Managed, url: string }} RunningGateway
 */

/**
 * Starts a gateway process on a free port and waits until it answers /healthz.
 * @param {{ configPath: string, cpu: string | null, nodeArgs?: string[], logDir?: string | null }} options
 *   nodeArgs: extra node flags (--gateway-node-args: profilers, --trace-gc); logDir: where its whole
 *   stdout and stderr go, as gateway-<pid>.log (--gateway-log), besides the bench's own bounded copy
 * @returns {Promise<RunningGateway>}
 */
export async function startGateway({ configPath, cpu, nodeArgs = [], logDir = null }) {
  const child = spawnManaged({
    name: 'gateway',
    command: process.execPath,
    args: [...nodeArgs, '--import', ORPHAN_GUARD, BIN, 'serve', '--config', configPath, '--port', '0'],
    cpu,
  });
  if (logDir !== null) {
    const file = createWriteStream(join(logDir, `gateway-${child.pid}.log`));
    child.child.stdout?.pipe(file, { end: false });
    child.child.stderr?.pipe(file, { end: false });
    child.exited.then(() => file.end());
  }
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
 * A gateway as this run starts them: pinned to the gateway's core, with the extra node flags and the
 * log directory of the options.
 * @param {import('./measure.js').Setup} setup
 * @param {string} configPath
 */
export function bootGateway(setup, configPath) {
  return startGateway({
    configPath,
    cpu: setup.cpuGateway,
    nodeArgs: setup.gatewayNodeArgs,
    logDir: setup.gatewayLogDir,
  });
}

/**
 * Waits (bounded) until the gateway has no request in flight: the load generator just closed its
 * connections, and the requests it dropped are being cancelled.
 * @param {string} url
 */
export async function waitForIdle(url, maxMs = 3000) {
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
 * The floor proxy where a gateway would run (its core, its node flags), on the same config: what
 * any Node proxy on this machine pays before doing anything, measured beside the gateway.
 * @param {import('./measure.js').Setup} setup
 * @param {string} configPath
 * @returns {Promise<RunningGateway>}
 */
export async function bootFloor(setup, configPath) {
  const child = spawnManaged({
    name: 'floor',
    command: process.execPath,
    args: [...setup.gatewayNodeArgs, '--import', ORPHAN_GUARD, FLOOR, '--config', configPath],
    cpu: setup.cpuGateway,
  });
  const match = await waitForLine(child, /listening on (http:\/\/\S+)/, 20_000);
  return { child, url: /** @type {string} */ (match[1]) };
}
