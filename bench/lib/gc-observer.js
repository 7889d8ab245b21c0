/**
 * A preload (`node --import …/gc-observer.js`) that measures a process's garbage-collection pauses
 * with perf_hooks and, when the process exits, writes a summary to
 * `$SWITCHBOARD_GC_DIR/gc-<pid>.json` (default: the system temp directory):
 *
 *   { pid, wallMs, cpuMs, gcMs, gcCount, gcShareOfWall, gcShareOfCpu, byKind: { minor|major|incremental|weakcb: { count, ms, maxMs } } }
 *
 * gcMs is the main thread's time inside GC pauses (what delays requests); V8's concurrent marking
 * on helper threads is in cpuMs but not in gcMs. Under the bench:
 *   node bench/run.js --quick --only overhead --gateway-node-args="--import=$PWD/bench/lib/gc-observer.js"
 */
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { constants, PerformanceObserver, performance } from 'node:perf_hooks';

const KINDS = {
  [constants.NODE_PERFORMANCE_GC_MINOR]: 'minor',
  [constants.NODE_PERFORMANCE_GC_MAJOR]: 'major',
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weakcb',
};

/** @type {Record<string, { count: number, ms: number, maxMs: number }>} */
const byKind = {};
let gcMs = 0;
let gcCount = 0;
const startedMs = performance.now();
const cpuAtStart = process.cpuUsage();

const observer = new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    const kind = KINDS[/** @type {any} */ (entry).detail?.kind] ?? 'other';
    byKind[kind] ??= { count: 0, ms: 0, maxMs: 0 };
    const k = byKind[kind];
    k.count++;
    k.ms += entry.duration;
    k.maxMs = Math.max(k.maxMs, entry.duration);
    gcMs += entry.duration;
    gcCount++;
  }
});
observer.observe({ entryTypes: ['gc'] });

process.on('exit', () => {
  const wallMs = performance.now() - startedMs;
  const cpu = process.cpuUsage(cpuAtStart);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const round = (/** @type {number} */ n) => Math.round(n * 1000) / 1000;
  const summary = {
    pid: process.pid,
    wallMs: round(wallMs),
    cpuMs: round(cpuMs),
    gcMs: round(gcMs),
    gcCount,
    gcShareOfWall: wallMs > 0 ? round(gcMs / wallMs) : 0,
    gcShareOfCpu: cpuMs > 0 ? round(gcMs / cpuMs) : 0,
    byKind: Object.fromEntries(
      Object.entries(byKind).map(([k, v]) => [k, { count: v.count, ms: round(v.ms), maxMs: round(v.maxMs) }]),
    ),
  };
  try {
    const dir = process.env.SWITCHBOARD_GC_DIR || tmpdir();
    writeFileSync(join(dir, `gc-${process.pid}.json`), `${JSON.stringify(summary)}\n`);
  } catch {
    // best effort: the process is exiting
  }
});
