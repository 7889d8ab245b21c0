/**
 * A preload (`node --import …/old-space-sampler.js`) that measures how fast a server's old
 * generation grows per request: what decides how often full GCs come under a steady load. Every
 * 500 ms it reads the old space's used size (`v8.getHeapSpaceStatistics()`); growth is the sum of the
 * rises between samples (a full GC's drop is not subtracted), divided by the HTTP requests the
 * process answered in the same window. Promotion (`--trace-gc-nvp`'s `promoted=`) is only part of
 * it: objects V8 allocates in the old space directly (pretenured ones, the tables of an old Map)
 * count too. When the process is stopped (SIGTERM, as the bench stops its gateways) it writes
 * `$SWITCHBOARD_OLD_DIR/old-space-<pid>.json` (default: the system temp directory):
 *
 *   { pid, fromMs, toMs, requests, oldGrowthBytes, oldGrowthPerRequest, fullGcs }
 *
 * `SWITCHBOARD_OLD_AFTER_MS` (default 7000) starts the window once the load is warm. Used in
 * bench/README.md, "Where a request's CPU and memory go":
 *   SWITCHBOARD_OLD_DIR=/tmp/old node bench/ab.js --seconds 10 \
 *     --node-args="--import=$PWD/bench/lib/old-space-sampler.js" . floor
 */
import { writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { constants, PerformanceObserver, performance } from 'node:perf_hooks';
import v8 from 'node:v8';

const afterMs = Number(process.env.SWITCHBOARD_OLD_AFTER_MS ?? 7000);
const oldSpaceUsed = () =>
  v8.getHeapSpaceStatistics().find((s) => s.space_name === 'old_space')?.space_used_size ?? 0;

let requests = 0;
let counting = false;
let fromMs = 0;
let last = 0;
let growth = 0;
let fullGcs = 0;

const emit = http.Server.prototype.emit;
http.Server.prototype.emit = function (event, ...args) {
  if (counting && event === 'request') requests++;
  return emit.call(this, event, ...args);
};

new PerformanceObserver((list) => {
  if (!counting) return;
  for (const entry of list.getEntries()) {
    const kind = /** @type {{ kind?: number }} */ (entry.detail)?.kind;
    if (kind === constants.NODE_PERFORMANCE_GC_MAJOR) fullGcs++;
  }
}).observe({ entryTypes: ['gc'] });

setTimeout(() => {
  counting = true;
  fromMs = performance.now();
  last = oldSpaceUsed();
  setInterval(() => {
    const now = oldSpaceUsed();
    if (now > last) growth += now - last;
    last = now;
  }, 500).unref();
}, afterMs).unref();

process.prependListener('SIGTERM', () => {
  const dir = process.env.SWITCHBOARD_OLD_DIR ?? tmpdir();
  const summary = {
    pid: process.pid,
    fromMs: Math.round(fromMs),
    toMs: Math.round(performance.now()),
    requests,
    oldGrowthBytes: growth,
    oldGrowthPerRequest: requests > 0 ? Math.round(growth / requests) : null,
    fullGcs,
  };
  writeFileSync(join(dir, `old-space-${process.pid}.json`), `${JSON.stringify(summary)}\n`);
});
