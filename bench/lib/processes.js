/**
 * Child processes of the bench: spawn (optionally pinned to a core with `taskset`), wait until ready,
 * stop one, stop all. Every child is started in its own process group and tracked here, so it is
 * killed at the end of the run, on an error, and on SIGINT/SIGTERM; `orphan-guard.js` covers the
 * case where the orchestrator itself is killed with SIGKILL.
 */
import { spawn, spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';

export const ORPHAN_GUARD = fileURLToPath(new URL('./orphan-guard.js', import.meta.url));

const MAX_KEPT_LINES = 200;

/**
 * @typedef {object} Managed
 * @property {string} name
 * @property {number} pid
 * @property {string | null} cpu the core it is pinned to, or null
 * @property {import('node:child_process').ChildProcess} child
 * @property {string[]} stdout the last lines printed (bounded)
 * @property {string[]} stderr the last lines printed (bounded)
 * @property {Promise<{ code: number | null, signal: string | null }>} exited
 * @property {boolean} done
 * @property {Set<(line: string) => void>} lineListeners stdout line listeners
 */

/** @type {Set<Managed>} */
const live = new Set();

/**
 * Whether `taskset` exists and can pin to each of the given cores.
 * @param {string[]} cpus
 */
export function tasksetWorks(cpus) {
  if (process.platform !== 'linux') return false;
  for (const cpu of cpus) {
    const r = spawnSync('taskset', ['-c', cpu, 'true'], { stdio: 'ignore', timeout: 5000 });
    if (r.error || r.status !== 0) return false;
  }
  return true;
}

/**
 * The pinning plan: the gateway on core 0, the load generator, the providers (and this
 * orchestrator) on core 1. Null when `taskset` is missing, fails, or the machine has one core.
 * @param {boolean} wanted
 * @returns {{ gateway: string, others: string, description: string } | null}
 */
export function pinningPlan(wanted) {
  if (!wanted || availableParallelism() < 2 || !tasksetWorks(['0', '1'])) return null;
  return {
    gateway: '0',
    others: '1',
    description:
      'taskset: gateway on core 0; load generator, latency probe, simulated providers and the bench orchestrator on core 1',
  };
}

/**
 * Pins this process (every thread) to a core.
 * @param {string} cpu
 */
export function pinSelf(cpu) {
  const r = spawnSync('taskset', ['-a', '-p', '-c', cpu, String(process.pid)], {
    stdio: 'ignore',
    timeout: 5000,
  });
  return !r.error && r.status === 0;
}

/** Whether a command can be run (found on PATH). */
export function commandExists(/** @type {string} */ command) {
  const r = spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore', timeout: 5000 });
  return !r.error && r.status === 0;
}

/**
 * @param {string[]} lines
 * @param {string} line
 */
function keep(lines, line) {
  lines.push(line);
  if (lines.length > MAX_KEPT_LINES) lines.shift();
}

/**
 * @param {import('node:stream').Readable | null} stream
 * @param {(line: string) => void} onLine
 */
function readLines(stream, onLine) {
  if (!stream) return;
  stream.setEncoding('utf8');
  let rest = '';
  stream.on('data', (/** @type {string} */ chunk) => {
    rest += chunk;
    let i = rest.indexOf('\n');
    while (i >= 0) {
      onLine(rest.slice(0, i));
      rest = rest.slice(i + 1);
      i = rest.indexOf('\n');
    }
    if (rest.length > 1_000_000) rest = rest.slice(-100_000);
  });
  stream.on('end', () => {
    if (rest) onLine(rest);
  });
}

/**
 * Starts a child in its own process group, pinned with `taskset -c CPU` when `cpu` is given.
 * Its stdin is a pipe the child may watch (it ends when this process dies).
 * @param {{ name: string, command: string, args: string[], cpu?: string | null, env?: NodeJS.ProcessEnv, cwd?: string }} options
 * @returns {Managed}
 */
export function spawnManaged({ name, command, args, cpu = null, env, cwd }) {
  const [cmd, argv] = cpu !== null ? ['taskset', ['-c', cpu, command, ...args]] : [command, args];
  const child = spawn(cmd, argv, {
    cwd,
    env: env ?? process.env,
    detached: true,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  /** @type {Managed} */
  const managed = {
    name,
    pid: child.pid ?? -1,
    cpu,
    child,
    stdout: [],
    stderr: [],
    done: false,
    lineListeners: new Set(),
    exited: new Promise((resolve) => {
      child.once('error', (error) => {
        keep(managed.stderr, `spawn error: ${error.message}`);
        managed.done = true;
        live.delete(managed);
        resolve({ code: -1, signal: null });
      });
      child.once('exit', (code, signal) => {
        managed.done = true;
        live.delete(managed);
        resolve({ code, signal });
      });
    }),
  };
  child.stdin?.on('error', () => {});
  readLines(child.stdout, (line) => {
    keep(managed.stdout, line);
    for (const listener of managed.lineListeners) listener(line);
  });
  readLines(child.stderr, (line) => keep(managed.stderr, line));
  if (child.pid !== undefined) live.add(managed);
  return managed;
}

/** The last lines a child printed, for an error message. */
export function tail(/** @type {Managed} */ managed, lines = 15) {
  return [...managed.stdout.slice(-lines), ...managed.stderr.slice(-lines)].join('\n');
}

/**
 * Resolves with the first stdout line matching `pattern` (its match), rejects if the child exits
 * first or after `timeoutMs`.
 * @param {Managed} managed
 * @param {RegExp} pattern
 * @param {number} timeoutMs
 * @returns {Promise<RegExpMatchArray>}
 */
export function waitForLine(managed, pattern, timeoutMs) {
  for (const line of managed.stdout) {
    const m = line.match(pattern);
    if (m) return Promise.resolve(m);
  }
  return new Promise((resolve, reject) => {
    /** @type {(line: string) => void} */
    const listener = (line) => {
      const m = line.match(pattern);
      if (m) finish(() => resolve(m));
    };
    const timer = setTimeout(
      () =>
        finish(() => reject(new Error(`${managed.name}: not ready after ${timeoutMs} ms\n${tail(managed)}`))),
      timeoutMs,
    );
    let settled = false;
    /** @param {() => void} fn */
    const finish = (fn) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      managed.lineListeners.delete(listener);
      fn();
    };
    managed.lineListeners.add(listener);
    managed.exited.then(({ code, signal }) =>
      finish(() =>
        reject(
          new Error(
            `${managed.name} exited (code ${code}, signal ${signal}) before it was ready\n${tail(managed)}`,
          ),
        ),
      ),
    );
  });
}

/**
 * Resolves with the child's exit, or null after `timeoutMs`.
 * @param {Managed} managed
 * @param {number} timeoutMs
 */
export function waitForExit(managed, timeoutMs) {
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  return Promise.race([
    managed.exited,
    new Promise((resolve) => {
      timer = setTimeout(() => resolve(null), timeoutMs);
    }),
  ]).finally(() => clearTimeout(timer));
}

/**
 * @param {Managed} managed
 * @param {NodeJS.Signals} signal
 */
function signalGroup(managed, signal) {
  if (managed.done || managed.pid <= 0) return;
  try {
    process.kill(-managed.pid, signal); // its process group (it was spawned detached)
  } catch {
    try {
      process.kill(managed.pid, signal);
    } catch {
      // already gone
    }
  }
}

/**
 * SIGTERM, then SIGKILL after `graceMs`; resolves once it has exited (bounded).
 * @param {Managed} managed
 */
export async function stop(managed, graceMs = 3000) {
  if (managed.done) return;
  signalGroup(managed, 'SIGTERM');
  if ((await waitForExit(managed, graceMs)) !== null) return;
  signalGroup(managed, 'SIGKILL');
  await waitForExit(managed, 2000);
}

/** Stops every child still running. */
export async function stopAll(graceMs = 3000) {
  await Promise.all([...live].map((m) => stop(m, graceMs)));
}

/** Kills every child at once (synchronous; for the `exit` handler). */
export function killAllNow() {
  for (const m of live) signalGroup(m, 'SIGKILL');
}

let installed = false;
/** @type {Array<() => void>} */
const exitHooks = [];

/**
 * Runs `fn` (synchronous) when this process exits, however it exits (but SIGKILL).
 * @param {() => void} fn
 */
export function atExit(fn) {
  exitHooks.push(fn);
}

/**
 * Kills every child on SIGINT/SIGTERM, an uncaught error, and (last resort) at exit.
 * @param {(message: string) => void} log
 */
export function installCleanup(log) {
  if (installed) return;
  installed = true;
  /** @param {string} why @param {number} code */
  const bail = (why, code) => {
    log(`\n${why}: stopping the bench's child processes…`);
    stopAll(1000).finally(() => process.exit(code));
  };
  process.once('SIGINT', () => bail('SIGINT', 130));
  process.once('SIGTERM', () => bail('SIGTERM', 143));
  process.on('uncaughtException', (error) => bail(`uncaught error: ${error.stack ?? error}`, 1));
  process.on('unhandledRejection', (error) => bail(`unhandled rejection: ${String(error)}`, 1));
  process.on('exit', () => {
    killAllNow();
    for (const hook of exitHooks) {
      try {
        hook();
      } catch {
        // best effort
      }
    }
  });
}
