#!/usr/bin/env node
/**
 * The floor: the least a Node proxy can do for one chat request, with the gateway's own parts
 * (node:http in, an undici Pool out) and none of its logic: no routing, no validation, no events,
 * no parsing of the answer. `bench/ab.js floor` runs it where a gateway would run, so its CPU per
 * request is what any gateway on this machine and runtime pays before doing anything.
 *
 *   node bench/floor-proxy.js --config FILE   (the config bench/ab.js writes; reads the two base URLs)
 *
 * `SWITCHBOARD_FLOOR_BURN_US=N` adds N µs of busy CPU to each request as it arrives: a proxy that
 * costs what the gateway costs, without the gateway's logic, to tell the latency any proxy of that
 * cost gets on this machine from what the gateway's own structure adds (bench/README.md).
 *
 * Prints `listening on http://127.0.0.1:PORT`; exits on SIGTERM.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';
import { Pool } from 'undici';
import { parse } from 'yaml';
import { applyGatewayV8Flags } from '../dist/cli/v8-flags.js';

// The gateway process's V8 settings (src/cli/v8-flags.ts), so the floor differs from it by logic only.
applyGatewayV8Flags();

const { values } = parseArgs({ options: { config: { type: 'string' } }, strict: false });
const config = parse(readFileSync(String(values.config), 'utf8'));
const poolOf = (/** @type {string} */ name) => new Pool(new URL(config.providers[name].base_url).origin);
const upstream = {
  json: { pool: poolOf('sim-solo'), model: config.models.solo.model },
  stream: { pool: poolOf('sim-stream'), model: config.models.stream.model },
};

const burnMs = Number(process.env.SWITCHBOARD_FLOOR_BURN_US ?? 0) / 1000;

const server = createServer((req, res) => {
  /** @type {Buffer[]} */
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', async () => {
    const body = JSON.parse(Buffer.concat(chunks).toString());
    if (burnMs > 0) for (const until = performance.now() + burnMs; performance.now() < until; );
    const target = body.stream === true ? upstream.stream : upstream.json;
    body.model = target.model;
    const answer = await target.pool.request({
      path: '/v1/chat/completions',
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (body.stream !== true) {
      const text = await answer.body.text();
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
      res.end(text);
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    for await (const piece of answer.body) res.write(piece);
    res.end();
  });
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  if (address && typeof address === 'object')
    process.stdout.write(`listening on http://127.0.0.1:${address.port}\n`);
});
process.once('SIGTERM', () => process.exit(0));
