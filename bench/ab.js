#!/usr/bin/env node
/**
 * Interleaved A/B of the gateway's CPU per request between checkouts: what to run before and after a
 * change to the hot path, because this kind of machine drifts by 20-35 % between runs (compare only
 * within one `ab.js` run, never with yesterday's figure).
 *
 *   node bench/ab.js [--kind stream|json] [--rounds 3] [--seconds 6] [--node-args="..."] [--log FILE] TREE...
 *
 * TREE is a checkout with a built `dist/` (`git worktree add /tmp/before HEAD~3 && cd /tmp/before &&
 * npm ci && npm run build`), or `floor` (bench/floor-proxy.js: node:http + undici and nothing else);
 * `TREE+FLAGS` runs that tree with node flags of its own (`.+--max-semi-space-size=8`, no spaces).
 * Each round runs every tree once, in order: the simulated providers (this checkout's) and wrk on
 * core 1, the gateway alone on core 0, 32 connections, a 3 s warm-up, then `--seconds` measured. It
 * prints each run (CPU µs per request, user and system, req/s, p50, p99, peak RSS) and then, per
 * tree, the minimum and the median CPU µs per request. `--log` appends every gateway's stdout and
 * stderr to FILE, under a header line per run (for `--node-args=--trace-gc`). Needs wrk and taskset.
 */
import { execFileSync, spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chatBody, SINGLE_ROUTE, STREAM_ROUTE } from './lib/gateway-config.js';
import { providerSpecs } from './lib/simulated-providers.js';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const { values, positionals } = parseArgs({
  options: {
    kind: { type: 'string', default: 'stream' },
    rounds: { type: 'string', default: '3' },
    seconds: { type: 'string', default: '6' },
    'node-args': { type: 'string', default: '' },
    'stream-chunks': { type: 'string', default: '20' },
    log: { type: 'string' },
  },
  allowPositionals: true,
});
if (positionals.length === 0) {
  process.stderr.write('usage: node bench/ab.js [--kind stream|json] [--rounds N] [--seconds S] TREE...\n');
  process.exit(2);
}
const kind = values.kind === 'json' ? 'json' : 'stream';
const connections = 32;

/** Starts this checkout's simulated providers (solo and stream) on core 1. */
async function startProviders() {
  const specs = providerSpecs({ streamChunks: Number(values['stream-chunks']) }).filter((s) =>
    ['solo', 'stream'].includes(s.name),
  );
  const child = spawn(
    'taskset',
    ['-c', '1', 'node', join(HERE, 'lib/providers-process.js'), JSON.stringify(specs)],
    {
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  const line = await new Promise((ok) => child.stdout.once('data', (d) => ok(String(d))));
  return { child, urls: JSON.parse(String(line)).providers };
}

/** @param {Record<string, { url: string }>} urls */
function writeConfig(urls) {
  const file = join(mkdtempSync(join(tmpdir(), 'sb-ab-')), 'switchboard.yaml');
  writeFileSync(
    file,
    [
      'providers:',
      `  sim-solo: { base_url: "${urls.solo?.url}/v1" }`,
      `  sim-stream: { base_url: "${urls.stream?.url}/v1" }`,
      'models:',
      '  solo: { provider: sim-solo, model: solo-upstream, price: { input: 1, output: 2 } }',
      '  stream: { provider: sim-stream, model: stream-upstream, price: { input: 1, output: 2 } }',
      'routes:',
      `  ${SINGLE_ROUTE}: [solo]`,
      `  ${STREAM_ROUTE}: [stream]`,
      `default_route: ${SINGLE_ROUTE}`,
      'server: { host: 127.0.0.1, port: 0 }',
      'logging: { level: error }',
      "ledger: 'off'",
      '',
    ].join('\n'),
  );
  return file;
}

/** CPU ticks (user, system) of a process. @param {number} pid */
function ticks(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return { user: Number(fields[11]), system: Number(fields[12]) };
}

/** @param {string} url @param {string} body @param {number} seconds */
function wrk(url, body, seconds) {
  const out = execFileSync(
    'taskset',
    ['-c', '1', 'wrk', '-t1', `-c${connections}`, `-d${seconds}s`, '-s', join(HERE, 'lib/wrk-post.lua'), url],
    { env: { ...process.env, BENCH_BODY: body } },
  ).toString();
  const json = out.match(/WRKJSON (.*)/)?.[1];
  if (!json) throw new Error(`wrk printed no result:\n${out}`);
  return JSON.parse(json);
}

/** One measured run of one tree. @param {string} spec TREE or TREE+FLAGS @param {string} configPath */
async function run(spec, configPath) {
  const [tree = '', ownFlags = ''] = spec.split('+');
  const entry = tree === 'floor' ? join(HERE, 'floor-proxy.js') : join(resolve(tree), 'bin/switchboard.js');
  const args = tree === 'floor' ? ['--config', configPath] : ['serve', '--config', configPath, '--port', '0'];
  const nodeArgs = `${values['node-args'] ?? ''} ${ownFlags}`.split(' ').filter(Boolean);
  const gateway = spawn('taskset', ['-c', '0', 'node', ...nodeArgs, entry, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise((ok, fail) => {
    const onData = (/** @type {Buffer} */ d) => {
      output += d;
      const found = output.match(/http:\/\/127\.0\.0\.1:\d+/);
      if (found) ok(found[0]);
    };
    gateway.stdout.on('data', onData);
    gateway.stderr.on('data', onData);
    gateway.once('exit', (code) => fail(new Error(`${tree} exited with ${code}:\n${output}`)));
  });
  const body = kind === 'stream' ? chatBody(STREAM_ROUTE, true, { usage: true }) : chatBody(SINGLE_ROUTE);
  const target = `${url}/v1/chat/completions`;
  try {
    wrk(target, body, 3);
    const before = ticks(gateway.pid ?? 0);
    const result = wrk(target, body, Number(values.seconds));
    const after = ticks(gateway.pid ?? 0);
    const perRequest = (/** @type {number} */ t) => Math.round((t * 10_000) / result.requests); // 10 ms ticks
    const user = perRequest(after.user - before.user);
    const system = perRequest(after.system - before.system);
    const peakMb =
      Number(readFileSync(`/proc/${gateway.pid}/status`, 'utf8').match(/VmHWM:\s+(\d+)/)?.[1]) / 1024;
    const rps = Math.round(result.requests / (result.duration_us / 1e6));
    const errors = result.status + result.read + result.timeout;
    process.stdout.write(
      `${kind} ${spec}: ${user + system} µs CPU/req (user ${user}, system ${system}), ${rps} req/s, ` +
        `p50 ${(result.p50_us / 1000).toFixed(2)} ms, p99 ${(result.p99_us / 1000).toFixed(2)} ms, ` +
        `errors ${errors}, peak RSS ${peakMb.toFixed(0)} MB\n`,
    );
    return user + system;
  } finally {
    gateway.kill('SIGTERM');
    if (values.log) {
      await new Promise((ok) => gateway.once('exit', ok));
      appendFileSync(values.log, `=== ${kind} ${tree} (pid ${gateway.pid})\n${output}\n`);
    }
  }
}

const providers = await startProviders();
try {
  const configPath = writeConfig(providers.urls);
  /** @type {Map<string, number[]>} */
  const results = new Map(positionals.map((t) => [t, []]));
  for (let round = 0; round < Number(values.rounds); round++)
    for (const tree of positionals) results.get(tree)?.push(await run(tree, configPath));
  for (const [tree, runs] of results) {
    const sorted = [...runs].sort((a, b) => a - b);
    process.stdout.write(
      `${tree}: min ${sorted[0]} µs, median ${sorted[Math.floor((sorted.length - 1) / 2)]} µs of CPU per ${kind === 'stream' ? 'stream' : 'request'} (${runs.length} runs)\n`,
    );
  }
} finally {
  providers.child.kill('SIGTERM');
}
