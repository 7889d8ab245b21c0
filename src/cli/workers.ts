import cluster, { type Worker } from 'node:cluster';
import { availableParallelism } from 'node:os';
import { InvalidArgumentError } from 'commander';
import { ConfigError, loadConfigFile } from '../config/index.js';
import { ClusterHub } from '../state/index.js';

/** The environment variable that tells a worker its index (0 prints the banner). */
export const WORKER_INDEX_ENV = 'SWITCHBOARD_WORKER_INDEX';

const RESTART_DELAY_MS = 1_000; // a worker that died is replaced after 1 s
const STOP_GRACE_MS = 15_000; // workers get 15 s (their own 10 s grace + margin) before SIGKILL

/** `--workers N` or `auto` (one per core). */
export function parseWorkers(value: string): number {
  if (value === 'auto') return availableParallelism();
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new InvalidArgumentError('a whole number ≥ 1, or auto (one per core)');
  return n;
}

/** Is this process a worker of `serve --workers`? */
export function isServeWorker(): boolean {
  return cluster.isWorker && process.env[WORKER_INDEX_ENV] !== undefined;
}

/**
 * The primary of `serve --workers N`: forks N workers that share one listening port (node:cluster
 * hands connections out in turn), serves as their shared state when the config has no Redis
 * (`ClusterHub`), replaces a worker that dies, and on SIGTERM or SIGINT stops every worker
 * gracefully, then exits 0.
 */
export async function runPrimary(count: number, configPath: string | undefined): Promise<void> {
  if (configPath === undefined) {
    console.error('--workers needs --config: the demo runs in one process.');
    process.exit(1);
  }
  try {
    loadConfigFile(configPath);
  } catch (error) {
    console.error(error instanceof ConfigError ? error.message : String(error));
    process.exit(1);
  }
  const hub = new ClusterHub();
  const workers = new Set<Worker>();
  let stopping = false;

  const fork = (index: number) => {
    const worker = cluster.fork({ [WORKER_INDEX_ENV]: String(index) });
    workers.add(worker);
    hub.attach(worker);
    let listening = false;
    worker.once('listening', () => {
      listening = true;
    });
    worker.once('exit', (code, signal) => {
      workers.delete(worker);
      if (stopping) return;
      if (!listening) {
        // It never served: a bad config or a busy port would fail the same way again.
        console.error(`worker ${index} failed to start (exit ${signal ?? code}); stopping.`);
        void stop('worker failure', 1);
        return;
      }
      console.error(`worker ${index} exited (${signal ?? code}); starting another.`);
      setTimeout(() => fork(index), RESTART_DELAY_MS).unref();
    });
  };

  const stop = async (reason: string, exitCode = 0) => {
    if (stopping) return;
    stopping = true;
    if (exitCode === 0) console.error(`\n${reason}: stopping ${workers.size} workers gracefully…`);
    const exits = [...workers].map(
      (worker) =>
        new Promise<void>((resolve) => (worker.isDead() ? resolve() : worker.once('exit', () => resolve()))),
    );
    for (const worker of workers) worker.process.kill('SIGTERM');
    const killer = setTimeout(() => {
      for (const worker of workers) worker.process.kill('SIGKILL');
    }, STOP_GRACE_MS);
    await Promise.all(exits);
    clearTimeout(killer);
    process.exit(exitCode);
  };

  for (let i = 0; i < count; i++) fork(i);
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}
