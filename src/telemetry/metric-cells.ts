import { Counter, type CounterConfiguration, type Metric, type Registry } from 'prom-client';

/**
 * Metrics a request touches, as plain numbers that prom-client reads when the registry is scraped.
 *
 * prom-client's own `inc` and `observe` cost about 1 µs a call on the request path: each call builds
 * a labels object, validates it and hashes it into a key string. A request touches eight or nine of
 * them (20 µs of a JSON request's ~350, bench/metric-cost.js). Here the label set is resolved once,
 * into a cell, and a request adds to the cell's numbers. The exposition is unchanged: counters stay
 * prom-client Counters (their `collect` hook hands over what the cells gathered), and histograms are
 * a small collector of their own on the same registry, written in prom-client's format.
 */

/** Label values in a metric's label order. */
type LabelValues = readonly string[];
type Labels = Record<string, string>;
/** One exposition sample, as prom-client's metrics give them to their registry. */
interface Sample {
  value: number;
  labels: Labels;
  metricName: string;
}

function labelsOf(names: readonly string[], values: LabelValues): Labels {
  const labels: Labels = {};
  for (let i = 0; i < names.length; i++) labels[names[i] as string] = values[i] ?? '';
  return labels;
}

/** One label set of a {@link CellCounter}: what a request adds to. */
export class CounterCell {
  /** Added since the last scrape. */
  pending = 0;
  constructor(readonly labels: Labels) {}

  inc(amount = 1): void {
    this.pending += amount;
  }
}

/**
 * A prom-client Counter fed by cells. Every read of the registry first hands each cell's pending
 * amount to the counter (one `inc` per label set per scrape, not per request).
 */
export class CellCounter<L extends string> {
  readonly metric: Counter<L>;
  readonly #labelNames: readonly L[];
  readonly #cells: CounterCell[] = [];

  constructor(config: CounterConfiguration<L>) {
    this.#labelNames = config.labelNames ?? [];
    const cells = this.#cells;
    this.metric = new Counter<L>({
      ...config,
      collect() {
        for (const cell of cells) {
          if (cell.pending === 0) continue;
          this.inc(cell.labels as Partial<Record<L, string>>, cell.pending);
          cell.pending = 0;
        }
      },
    });
  }

  /** The cell of these label values; its series shows (at 0) from now on. Call once per label set. */
  cell(values: LabelValues): CounterCell {
    const cell = new CounterCell(labelsOf(this.#labelNames, values));
    this.metric.inc(cell.labels as Partial<Record<L, string>>, 0);
    this.#cells.push(cell);
    return cell;
  }
}

/** One label set of a {@link CellHistogram}: per-bucket counts (not cumulative), sum and count. */
export class HistogramCell {
  readonly counts: Float64Array;
  sum = 0;
  count = 0;
  readonly #bounds: readonly number[];

  constructor(
    readonly labels: Labels,
    bounds: readonly number[],
  ) {
    this.#bounds = bounds;
    this.counts = new Float64Array(bounds.length);
  }

  /** Records one value; a value that is not a finite number is ignored. */
  observe(value: number): void {
    if (!Number.isFinite(value)) return;
    const bounds = this.#bounds;
    for (let i = 0; i < bounds.length; i++) {
      if (value <= (bounds[i] as number)) {
        this.counts[i]! += 1;
        break;
      }
    }
    this.sum += value;
    this.count += 1;
  }
}

/** What {@link CellHistogram} is built from: prom-client's histogram options, minus exemplars. */
export interface CellHistogramConfiguration<L extends string> {
  name: string;
  help: string;
  labelNames?: readonly L[];
  /** Upper bounds, ascending; `+Inf` is implied. */
  buckets: readonly number[];
  registers: readonly Registry[];
}

/**
 * A histogram whose label sets are cells, registered on a prom-client registry as a metric of its
 * own: the registry reads it with `get()` like any prom-client metric and writes the same
 * exposition (`_bucket` series with `le`, cumulative, then `_sum` and `_count`).
 */
export class CellHistogram<L extends string> {
  readonly name: string;
  readonly help: string;
  readonly type = 'histogram' as const;
  readonly aggregator = 'sum' as const;
  readonly #labelNames: readonly L[];
  readonly #bounds: readonly number[];
  readonly #cells: HistogramCell[] = [];

  constructor(config: CellHistogramConfiguration<L>) {
    this.name = config.name;
    this.help = config.help;
    this.#labelNames = config.labelNames ?? [];
    this.#bounds = [...config.buckets].sort((a, b) => a - b);
    for (const registry of config.registers) registry.registerMetric(this as unknown as Metric);
  }

  /** The cell of these label values; its series shows (at 0) from now on. Call once per label set. */
  cell(values: LabelValues = []): HistogramCell {
    const cell = new HistogramCell(labelsOf(this.#labelNames, values), this.#bounds);
    this.#cells.push(cell);
    return cell;
  }

  /** Zeroes every cell (prom-client's `registry.resetMetrics()`). */
  reset(): void {
    for (const cell of this.#cells) {
      cell.counts.fill(0);
      cell.sum = 0;
      cell.count = 0;
    }
  }

  /** The samples, in prom-client's shape (what `Registry.metrics()` and `getMetricsAsJSON()` read). */
  get(): { name: string; help: string; type: 'histogram'; aggregator: 'sum'; values: Sample[] } {
    const values: Sample[] = [];
    const bucket = `${this.name}_bucket`;
    for (const cell of this.#cells) {
      let cumulative = 0;
      for (let i = 0; i < this.#bounds.length; i++) {
        cumulative += cell.counts[i] as number;
        values.push({
          labels: { ...cell.labels, le: String(this.#bounds[i]) },
          value: cumulative,
          metricName: bucket,
        });
      }
      values.push({ labels: { ...cell.labels, le: '+Inf' }, value: cell.count, metricName: bucket });
      values.push({ labels: { ...cell.labels }, value: cell.sum, metricName: `${this.name}_sum` });
      values.push({ labels: { ...cell.labels }, value: cell.count, metricName: `${this.name}_count` });
    }
    return { name: this.name, help: this.help, type: 'histogram', aggregator: 'sum', values };
  }
}
