/**
 * A preload (`node --import …/heap-sampler.js`) that records where a process allocates, with V8's
 * sampling heap profiler, and writes the profile when the process is stopped (SIGTERM, as the bench
 * stops its gateways) to `$SWITCHBOARD_HEAP_DIR/heap-<pid>.heapprofile` (default: the temp dir).
 *
 * `SWITCHBOARD_HEAP_KEEP=promoted` keeps only what survived the young generation (objects a
 * scavenge copied out and a later full GC freed): the medium-lived garbage that makes scavenges slow
 * and the old generation grow. The default keeps every sampled allocation (what costs GC work at all).
 * Summarise with `node bench/heap-summary.js FILE` (bench/README.md, "Allocation profile").
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const promotedOnly = process.env.SWITCHBOARD_HEAP_KEEP === 'promoted';
const session = new Session();
session.connect();
const start = () =>
  session.post('HeapProfiler.startSampling', {
    samplingInterval: 4096,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: !promotedOnly,
  });
const afterMs = Number(process.env.SWITCHBOARD_HEAP_AFTER_MS ?? 0);
if (afterMs > 0) setTimeout(start, afterMs).unref();
else start();

process.prependListener('SIGTERM', () => {
  session.post('HeapProfiler.stopSampling', (error, result) => {
    if (error) return;
    const dir = process.env.SWITCHBOARD_HEAP_DIR ?? tmpdir();
    writeFileSync(join(dir, `heap-${process.pid}.heapprofile`), JSON.stringify(result.profile));
  });
});
