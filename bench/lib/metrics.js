/**
 * Reading the gateway's Prometheus text: parse the samples, and take the figures the fault
 * scenarios need (requests by outcome, cost) as a snapshot whose difference spans a phase.
 */

/**
 * @typedef {{ name: string, labels: Record<string, string>, value: number }} Sample
 * @typedef {{ requestsByOutcome: Record<string, number>, costUsd: number, wastedCostUsd: number, counters: Record<string, number> }} MetricsSnapshot
 */

/**
 * Parses the labels of one sample line from `{` (at `start`); returns them and the index after `}`.
 * @param {string} line
 * @param {number} start
 * @returns {[Record<string, string>, number]}
 */
function parseLabels(line, start) {
  /** @type {Record<string, string>} */
  const labels = {};
  let i = start + 1;
  while (i < line.length && line[i] !== '}') {
    const eq = line.indexOf('=', i);
    if (eq < 0) throw new Error(`bad labels: ${line}`);
    const key = line.slice(i, eq).trim().replace(/^,/, '').trim();
    i = eq + 1;
    if (line[i] !== '"') throw new Error(`bad label value: ${line}`);
    i++;
    let value = '';
    while (i < line.length && line[i] !== '"') {
      if (line[i] === '\\' && i + 1 < line.length) {
        const next = line[i + 1];
        value += next === 'n' ? '\n' : next;
        i += 2;
      } else {
        value += line[i];
        i++;
      }
    }
    labels[key] = value;
    i++; // closing quote
    while (line[i] === ',' || line[i] === ' ') i++;
  }
  return [labels, i + 1];
}

/**
 * Parses Prometheus exposition text into samples (comments and blank lines skipped).
 * @param {string} text
 * @returns {Sample[]}
 */
export function parsePrometheus(text) {
  /** @type {Sample[]} */
  const samples = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const brace = line.indexOf('{');
    const space = line.indexOf(' ');
    let name;
    /** @type {Record<string, string>} */
    let labels = {};
    let rest;
    if (brace >= 0 && (space < 0 || brace < space)) {
      name = line.slice(0, brace);
      const [parsed, end] = parseLabels(line, brace);
      labels = parsed;
      rest = line.slice(end).trim();
    } else {
      name = line.slice(0, space);
      rest = line.slice(space + 1).trim();
    }
    const valueText = rest.split(/\s+/)[0] ?? '';
    const value =
      valueText === '+Inf' ? Number.POSITIVE_INFINITY : valueText === '-Inf' ? -Infinity : Number(valueText);
    samples.push({ name, labels, value });
  }
  return samples;
}

/**
 * Sum of the samples named `name` whose labels pass `filter`.
 * @param {Sample[]} samples
 * @param {string} name
 * @param {(labels: Record<string, string>) => boolean} [filter]
 */
export function sumOf(samples, name, filter = () => true) {
  let sum = 0;
  for (const s of samples)
    if (s.name === name && filter(s.labels) && Number.isFinite(s.value)) sum += s.value;
  return sum;
}

/** Counters recorded (summed over their labels) for the JSON result; absent ones read 0. */
const COUNTERS = {
  upstreamAttempts: 'switchboard_upstream_attempts_total',
  retries: 'switchboard_retries_total',
  fallbacks: 'switchboard_fallbacks_total',
  skipped: 'switchboard_model_skipped_total',
  hedges: 'switchboard_hedges_total',
  streamRecoveries: 'switchboard_stream_recoveries_total',
  breakerTransitions: 'switchboard_breaker_transitions_total',
};

/**
 * The figures a fault scenario needs, from one scrape.
 * @param {string} text
 * @returns {MetricsSnapshot}
 */
export function snapshotOf(text) {
  const samples = parsePrometheus(text);
  /** @type {Record<string, number>} */
  const requestsByOutcome = {};
  for (const s of samples) {
    if (s.name !== 'switchboard_requests_total') continue;
    const outcome = s.labels.outcome ?? '';
    requestsByOutcome[outcome] = (requestsByOutcome[outcome] ?? 0) + s.value;
  }
  /** @type {Record<string, number>} */
  const counters = {};
  for (const [key, name] of Object.entries(COUNTERS)) counters[key] = sumOf(samples, name);
  return {
    requestsByOutcome,
    costUsd: sumOf(samples, 'switchboard_cost_usd_total'),
    wastedCostUsd: sumOf(samples, 'switchboard_wasted_cost_usd_total'),
    counters,
  };
}

/**
 * What happened between two snapshots. `failures` counts every outcome other than `success` and
 * `cancelled` (a cancelled request is one the load generator dropped when its phase ended: the
 * client went away, so nobody saw an error).
 * @param {MetricsSnapshot} before
 * @param {MetricsSnapshot} after
 */
export function deltaOf(before, after) {
  /** @type {Record<string, number>} */
  const byOutcome = {};
  for (const outcome of new Set([
    ...Object.keys(before.requestsByOutcome),
    ...Object.keys(after.requestsByOutcome),
  ])) {
    const d = (after.requestsByOutcome[outcome] ?? 0) - (before.requestsByOutcome[outcome] ?? 0);
    if (d !== 0) byOutcome[outcome] = d;
  }
  let failures = 0;
  for (const [outcome, n] of Object.entries(byOutcome))
    if (outcome !== 'success' && outcome !== 'cancelled') failures += n;
  /** @type {Record<string, number>} */
  const counters = {};
  for (const key of Object.keys(after.counters))
    counters[key] = (after.counters[key] ?? 0) - (before.counters[key] ?? 0);
  return {
    byOutcome,
    failures,
    counters,
    costUsd: after.costUsd - before.costUsd,
    wastedCostUsd: after.wastedCostUsd - before.wastedCostUsd,
  };
}
