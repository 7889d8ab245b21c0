/**
 * One autocannon run in its own process (so it can be pinned to a core like wrk):
 * `node autocannon-worker.js '<json options>'`; prints the result as one JSON line.
 */
import './orphan-guard.js';
import autocannon from 'autocannon';

/** @type {{ url: string, body: string, connections: number, durationS: number, timeoutS: number }} */
const options = JSON.parse(process.argv[2] ?? '{}');

const started = process.hrtime.bigint();
const result = await autocannon({
  url: options.url,
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: options.body,
  connections: options.connections,
  pipelining: 1,
  duration: options.durationS,
  timeout: options.timeoutS,
});
const elapsedS = Number(process.hrtime.bigint() - started) / 1e9;
const responses = (result['2xx'] ?? 0) + (result.non2xx ?? 0);
process.stdout.write(
  `${JSON.stringify({
    responses,
    elapsedS: result.duration > 0 ? result.duration : elapsedS,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    meanMs: result.latency.average,
    non2xx: result.non2xx ?? 0,
    errors: result.errors ?? 0,
    timeouts: result.timeouts ?? 0,
    resets: result.resets ?? 0,
  })}\n`,
);
process.exit(0);
