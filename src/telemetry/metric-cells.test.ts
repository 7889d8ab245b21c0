import fc from 'fast-check';
import { Counter, Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { parsePrometheus, type Sample } from '../../test/support/prometheus.js';
import { CellCounter, CellHistogram } from './metric-cells.js';

const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
const LABEL_SETS = [
  ['main', 'a1'],
  ['main', 'b1'],
  ['fast', 'a1'],
] as const;

/** Samples keyed by name and sorted labels, so two expositions compare regardless of label order. */
function byKey(samples: readonly Sample[]): Map<string, number> {
  const map = new Map<string, number>();
  for (const s of samples) {
    const labels = Object.entries(s.labels)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, v]) => `${k}=${v}`)
      .join(',');
    map.set(`${s.name}{${labels}}`, s.value);
  }
  return map;
}

/** The same observations through prom-client's own metrics and through cells, on two registries. */
async function bothWays(observations: ReadonlyArray<{ set: number; value: number; amount: number }>) {
  const ours = new Registry();
  const theirs = new Registry();
  const histogram = new CellHistogram({
    name: 'x_seconds',
    help: 'h',
    labelNames: ['route', 'model'],
    buckets: BUCKETS,
    registers: [ours],
  });
  const counter = new CellCounter({
    name: 'x_total',
    help: 'c',
    labelNames: ['route', 'model'],
    registers: [ours],
  });
  const reference = new Histogram({
    name: 'x_seconds',
    help: 'h',
    labelNames: ['route', 'model'],
    buckets: BUCKETS,
    registers: [theirs],
  });
  const referenceCounter = new Counter({
    name: 'x_total',
    help: 'c',
    labelNames: ['route', 'model'],
    registers: [theirs],
  });
  const histogramCells = LABEL_SETS.map((values) => histogram.cell(values));
  const counterCells = LABEL_SETS.map((values) => counter.cell(values));
  for (const [route, model] of LABEL_SETS) {
    reference.zero({ route, model });
    referenceCounter.inc({ route, model }, 0);
  }
  for (const { set, value, amount } of observations) {
    const [route, model] = LABEL_SETS[set] as readonly [string, string];
    histogramCells[set]?.observe(value);
    reference.observe({ route, model }, value);
    counterCells[set]?.inc(amount);
    referenceCounter.inc({ route, model }, amount);
  }
  return {
    ours: parsePrometheus(await ours.metrics()),
    theirs: parsePrometheus(await theirs.metrics()),
  };
}

describe('metric cells', () => {
  it('expose exactly what prom-client exposes for the same observations', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            set: fc.integer({ min: 0, max: LABEL_SETS.length - 1 }),
            // Bucket edges exactly, values between them, and past the last bound (+Inf only).
            value: fc.oneof(
              fc.constantFrom(...BUCKETS, 0, 7),
              fc.double({ min: 0, max: 10, noNaN: true, noDefaultInfinity: true }),
            ),
            amount: fc.oneof(fc.constant(1), fc.double({ min: 0, max: 1, noNaN: true })),
          }),
          { maxLength: 60 },
        ),
        async (observations) => {
          const { ours, theirs } = await bothWays(observations);
          const [a, b] = [byKey(ours), byKey(theirs)];
          expect([...a.keys()].sort()).toEqual([...b.keys()].sort());
          for (const [key, value] of b) expect(a.get(key)).toBeCloseTo(value, 9);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('hand what a counter gathered to prom-client once per scrape, and keep counting after it', async () => {
    const registry = new Registry();
    const counter = new CellCounter({
      name: 'n_total',
      help: 'n',
      labelNames: ['model'],
      registers: [registry],
    });
    const cell = counter.cell(['a1']);
    expect(parsePrometheus(await registry.metrics())).toContainEqual({
      name: 'n_total',
      labels: { model: 'a1' },
      value: 0,
    });
    cell.inc();
    cell.inc(2);
    expect(cell.pending).toBe(3);
    const first = parsePrometheus(await registry.metrics());
    expect(first.find((s) => s.name === 'n_total')?.value).toBe(3);
    expect(cell.pending).toBe(0);
    cell.inc();
    const second = parsePrometheus(await registry.metrics());
    expect(second.find((s) => s.name === 'n_total')?.value).toBe(4);
    // JSON readers of the registry see the same sums.
    const json = await registry.getMetricsAsJSON();
    expect(json.find((m) => m.name === 'n_total')?.values[0]?.value).toBe(4);
  });

  it('ignore values that are not finite and zero on registry reset', async () => {
    const registry = new Registry();
    const histogram = new CellHistogram({
      name: 'h_seconds',
      help: 'h',
      buckets: [1, 2],
      registers: [registry],
    });
    const cell = histogram.cell();
    cell.observe(Number.NaN);
    cell.observe(Number.POSITIVE_INFINITY);
    cell.observe(1.5);
    const samples = parsePrometheus(await registry.metrics());
    const value = (name: string, le?: string) =>
      samples.find((s) => s.name === name && (le === undefined || s.labels.le === le))?.value;
    expect(value('h_seconds_count')).toBe(1);
    expect(value('h_seconds_bucket', '1')).toBe(0);
    expect(value('h_seconds_bucket', '2')).toBe(1);
    expect(value('h_seconds_bucket', '+Inf')).toBe(1);
    registry.resetMetrics();
    expect(parsePrometheus(await registry.metrics()).find((s) => s.name === 'h_seconds_count')?.value).toBe(
      0,
    );
  });
});
