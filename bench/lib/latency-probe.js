/**
 * A precise sequential latency probe, for when wrk is not installed (autocannon's histogram has
 * 1 ms resolution, useless for a 0.1 ms target). As a child process (`runLatencyProbe` starts this
 * file): N sequential POSTs over ONE keep-alive undici connection, each timed with
 * `process.hrtime.bigint()`, the warm-up (500 requests or the first quarter of the time) discarded; prints p50/p99 in ms with µs precision as one
 * JSON line. Bounded by a request count and a duration, whichever comes first.
 */
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ORPHAN_GUARD, spawnManaged, stop, tail, waitForExit } from './processes.js';

const SELF = fileURLToPath(import.meta.url);

/** The probe's warm-up (not measured): this many requests or this share of the time, whichever ends first. */
export const PROBE_WARMUP_REQUESTS = 500;
export const PROBE_WARMUP_SHARE = 0.25;

/**
 * @typedef {{ url: string, body: string, durationS: number, maxRequests?: number, warmupRequests?: number }} ProbeOptions
 * @typedef {{ tool: 'latency-probe', connections: 1, requests: number, durationS: number, rps: number, p50Ms: number, p99Ms: number, non2xx: number, socketErrors: number, errors: number }} ProbeResult
 */

/**
 * @param {number[]} sorted
 * @param {number} p
 */
function percentile(sorted, p) {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))] ?? Number.NaN;
}

/**
 * The probe itself (runs in the child).
 * @param {ProbeOptions} options
 * @returns {Promise<ProbeResult>}
 */
async function probe({
  url,
  body,
  durationS,
  maxRequests = 200_000,
  warmupRequests = PROBE_WARMUP_REQUESTS,
}) {
  const { Client } = await import('undici');
  const target = new URL(url);
  const client = new Client(target.origin, { pipelining: 1, keepAliveTimeout: 30_000 });
  const headers = { 'content-type': 'application/json' };
  /** @type {number[]} */
  const samples = [];
  let non2xx = 0;
  let socketErrors = 0;
  let total = 0;
  const begin = process.hrtime.bigint();
  const deadline = begin + BigInt(Math.round(durationS * 1e9));
  // The warm-up ends after `warmupRequests` requests or a quarter of the time, whichever is first.
  const warmupDeadline = begin + BigInt(Math.round(durationS * PROBE_WARMUP_SHARE * 1e9));
  let measuredStart = 0n;
  let warming = true;
  try {
    for (let i = 0; i < warmupRequests + maxRequests; i++) {
      const now = process.hrtime.bigint();
      if (now >= deadline) break;
      if (warming && (i >= warmupRequests || now >= warmupDeadline)) {
        warming = false;
        measuredStart = now;
      }
      const t0 = process.hrtime.bigint();
      try {
        const res = await client.request({ path: target.pathname, method: 'POST', headers, body });
        await res.body.dump({ limit: Number.POSITIVE_INFINITY });
        const t1 = process.hrtime.bigint();
        if (!warming) {
          samples.push(Number(t1 - t0) / 1e6);
          total++;
          if (res.statusCode < 200 || res.statusCode >= 300) non2xx++;
        }
      } catch {
        if (!warming) socketErrors++;
      }
    }
  } finally {
    await client.close().catch(() => {});
  }
  const elapsedS = measuredStart > 0n ? Number(process.hrtime.bigint() - measuredStart) / 1e9 : 0;
  samples.sort((a, b) => a - b);
  // µs precision; null (JSON has no NaN) when nothing was measured
  const round = (/** @type {number} */ ms) => (Number.isFinite(ms) ? Math.round(ms * 1000) / 1000 : null);
  return {
    tool: 'latency-probe',
    connections: 1,
    requests: total,
    durationS: elapsedS,
    rps: elapsedS > 0 ? total / elapsedS : 0,
    p50Ms: round(percentile(samples, 50)),
    p99Ms: round(percentile(samples, 99)),
    non2xx,
    socketErrors,
    errors: non2xx + socketErrors,
  };
}

/**
 * Runs the probe in a child process (pinned with `cpu` when given). The warm-up is part of
 * `durationS`: the first `warmupRequests` requests are not measured.
 * @param {ProbeOptions & { cpu?: string | null }} options
 * @returns {Promise<ProbeResult>}
 */
export async function runLatencyProbe({ cpu = null, ...options }) {
  const child = spawnManaged({
    name: 'latency-probe',
    command: process.execPath,
    args: ['--import', ORPHAN_GUARD, SELF, JSON.stringify(options)],
    cpu,
  });
  const limitMs = (options.durationS + 20) * 1000;
  const exit = await waitForExit(child, limitMs);
  if (exit === null) {
    await stop(child, 500);
    throw new Error(`latency probe did not finish within ${limitMs} ms\n${tail(child)}`);
  }
  const line = child.stdout.find((l) => l.startsWith('{'));
  if (!line || exit.code !== 0) throw new Error(`latency probe failed (exit ${exit.code})\n${tail(child)}`);
  return JSON.parse(line);
}

if (process.argv[1] && pathToFileURL(process.argv[1]).href === import.meta.url) {
  const result = await probe(JSON.parse(process.argv[2] ?? '{}'));
  process.stdout.write(`${JSON.stringify(result)}\n`);
  process.exit(0);
}
