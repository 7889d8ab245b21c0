#!/usr/bin/env node
/**
 * What one metric update costs on the request path: prom-client's labelled children (`inc`,
 * `observe`) against the cells of src/telemetry/metric-cells.ts, in ns per call. The measurement
 * behind writing the cells by hand (a JSON request makes eight or nine of these calls).
 *
 *   npm run build && node bench/metric-cost.js
 */
import { Counter, Histogram, Registry } from 'prom-client';
import { CellCounter, CellHistogram } from '../dist/telemetry/metric-cells.js';
import { LLM_BUCKETS_SECONDS } from '../dist/telemetry/metric-set.js';

const CALLS = 2_000_000;
const labelNames = ['route', 'model', 'provider', 'outcome'];
const values = ['main', 'gpt-4o-mini', 'openai', 'success'];

/** ns per call of `fn`, the best of 5 rounds (after one warm-up round). @param {(i: number) => void} fn */
function nsPerCall(fn) {
  let best = Number.POSITIVE_INFINITY;
  for (let round = 0; round < 6; round++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < CALLS; i++) fn(i);
    const ns = Number(process.hrtime.bigint() - start) / CALLS;
    if (round > 0) best = Math.min(best, ns);
  }
  return best;
}

const registry = new Registry();
const counter = new Counter({ name: 'a_total', help: 'a', labelNames, registers: [registry] });
const counterChild = counter.labels(...values);
const histogram = new Histogram({
  name: 'a_seconds',
  help: 'a',
  labelNames: ['route', 'model'],
  buckets: [...LLM_BUCKETS_SECONDS],
  registers: [registry],
});
const histogramChild = histogram.labels('main', 'gpt-4o-mini');

const ours = new Registry();
const counterCell = new CellCounter({ name: 'a_total', help: 'a', labelNames, registers: [ours] }).cell(
  values,
);
const histogramCell = new CellHistogram({
  name: 'a_seconds',
  help: 'a',
  labelNames: ['route', 'model'],
  buckets: LLM_BUCKETS_SECONDS,
  registers: [ours],
}).cell(['main', 'gpt-4o-mini']);

const rows = [
  ['counter inc', nsPerCall(() => counterChild.inc()), nsPerCall(() => counterCell.inc())],
  [
    'histogram observe',
    nsPerCall((i) => histogramChild.observe((i % 1000) / 1000)),
    nsPerCall((i) => histogramCell.observe((i % 1000) / 1000)),
  ],
];
process.stdout.write('per call          prom-client child   cell\n');
for (const [name, theirs, cell] of rows)
  process.stdout.write(
    `${String(name).padEnd(18)}${Number(theirs).toFixed(0).padStart(10)} ns${Number(cell).toFixed(1).padStart(12)} ns\n`,
  );
