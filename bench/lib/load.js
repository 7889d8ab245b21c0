/**
 * The load generator: wrk when it is on the machine (µs latency resolution), else autocannon
 * (installed through npm; 1 ms resolution). Either runs as a child process, pinned with the other
 * non-gateway processes when pinning is on, and every run is bounded in time.
 */
import { fileURLToPath } from 'node:url';
import { commandExists, ORPHAN_GUARD, spawnManaged, stop, tail, waitForExit } from './processes.js';

const WORKER = fileURLToPath(new URL('./autocannon-worker.js', import.meta.url));
const WRK_SCRIPT = fileURLToPath(new URL('./wrk-post.lua', import.meta.url));

/**
 * @typedef {object} LoadResult
 * @property {'wrk' | 'autocannon'} tool
 * @property {number} connections
 * @property {number} durationS the phase's length as run
 * @property {number} requests responses received (any status)
 * @property {number} rps responses per second
 * @property {number} p50Ms
 * @property {number} p99Ms
 * @property {number} non2xx responses with a status ≥ 400 (wrk) / not 2xx (autocannon)
 * @property {number} socketErrors connect/read/write errors and timeouts
 * @property {number} errors non2xx + socketErrors: what the client saw go wrong
 */

/**
 * 'wrk' if asked for or (auto) if installed, else 'autocannon'.
 * @param {'auto' | 'wrk' | 'autocannon'} preference
 * @returns {'wrk' | 'autocannon'}
 */
export function chooseLoadTool(preference) {
  if (preference === 'autocannon') return 'autocannon';
  const hasWrk = commandExists('wrk');
  if (preference === 'wrk' && !hasWrk) throw new Error('--tool wrk: wrk is not installed');
  return hasWrk ? 'wrk' : 'autocannon';
}

/** The length a phase actually runs (at least half a second). */
export function phaseSeconds(/** @type {number} */ seconds) {
  return Math.max(0.5, seconds);
}

/**
 * Runs one load phase: `connections` keep-alive connections POSTing `body` to `url` for `durationS`.
 * @param {{ tool: 'wrk' | 'autocannon', url: string, body: string, connections: number, durationS: number, cpu?: string | null, timeoutS?: number }} options
 * @returns {Promise<LoadResult>}
 */
export async function runLoad({ tool, url, body, connections, durationS, cpu = null, timeoutS = 10 }) {
  const seconds = phaseSeconds(durationS);
  const child =
    tool === 'wrk'
      ? spawnManaged({
          name: 'wrk',
          command: 'wrk',
          args: [
            '-t1',
            `-c${connections}`,
            // wrk takes whole seconds; a fractional phase is ended by SIGINT (wrk then reports).
            `-d${Math.ceil(seconds) + (Number.isInteger(seconds) ? 0 : 1)}s`,
            `--timeout`,
            `${Math.ceil(timeoutS)}s`,
            '-s',
            WRK_SCRIPT,
            url,
          ],
          cpu,
          env: { ...process.env, BENCH_BODY: body },
        })
      : spawnManaged({
          name: 'autocannon',
          command: process.execPath,
          args: [
            '--import',
            ORPHAN_GUARD,
            WORKER,
            JSON.stringify({ url, body, connections, durationS: seconds, timeoutS }),
          ],
          cpu,
        });
  const interrupt =
    tool === 'wrk' && !Number.isInteger(seconds)
      ? setTimeout(() => {
          if (!child.done) process.kill(child.pid, 'SIGINT');
        }, seconds * 1000)
      : undefined;
  const limitMs = (seconds + timeoutS + 15) * 1000;
  const exit = await waitForExit(child, limitMs);
  clearTimeout(interrupt);
  if (exit === null) {
    await stop(child, 500);
    throw new Error(`${tool} did not finish within ${limitMs} ms\n${tail(child)}`);
  }
  if (tool === 'wrk') {
    const line = child.stdout.find((l) => l.startsWith('WRKJSON '));
    if (!line) throw new Error(`wrk printed no result (exit ${exit.code})\n${tail(child)}`);
    const r = JSON.parse(line.slice('WRKJSON '.length));
    const socketErrors = r.connect + r.read + r.write + r.timeout;
    const elapsedS = r.duration_us / 1e6;
    return {
      tool,
      connections,
      durationS: elapsedS,
      requests: r.requests,
      rps: elapsedS > 0 ? r.requests / elapsedS : 0,
      p50Ms: r.p50_us / 1000,
      p99Ms: r.p99_us / 1000,
      non2xx: r.status,
      socketErrors,
      errors: r.status + socketErrors,
    };
  }
  const line = child.stdout.find((l) => l.startsWith('{'));
  if (!line || exit.code !== 0) throw new Error(`autocannon failed (exit ${exit.code})\n${tail(child)}`);
  const r = JSON.parse(line);
  const socketErrors = r.errors; // autocannon counts timeouts among its errors
  return {
    tool,
    connections,
    durationS: r.elapsedS,
    requests: r.responses,
    rps: r.elapsedS > 0 ? r.responses / r.elapsedS : 0,
    p50Ms: r.p50Ms,
    p99Ms: r.p99Ms,
    non2xx: r.non2xx,
    socketErrors,
    errors: r.non2xx + socketErrors,
  };
}
