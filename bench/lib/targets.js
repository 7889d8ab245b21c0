/**
 * The targets the bench checks, and the verdicts. A check is `pass: true | false`, or `null` when it
 * cannot be judged (a figure is missing).
 */

/**
 * @typedef {object} Check
 * @property {string} scope 'overhead' or a scenario id
 * @property {string} id
 * @property {string} target what must hold, in words
 * @property {string} measured the figures it was judged on
 * @property {boolean | null} pass
 */

/** @param {number} n */
const ok = (n) => typeof n === 'number' && Number.isFinite(n);

/**
 * @param {boolean} cond
 * @param {...number} figures
 * @returns {boolean | null}
 */
const judge = (cond, ...figures) => (figures.every(ok) ? cond : null);

/** @param {number} n @param {number} [digits] */
const f = (n, digits = 3) => (ok(n) ? n.toFixed(digits) : 'n/a');

/** The numbers the targets use. */
export const TARGETS = {
  throughputRatio: 0.35,
  addedP50Ms: 0.1,
  p99Ratio: 3,
  peakRssMb: 100,
  downThroughputRatio: 0.9,
  downPrimaryShare: 0.01,
  hangingP50Ratio: 2,
};

/**
 * @param {{ direct32: { rps: number, p99Ms: number }, gateway32: { rps: number, p99Ms: number }, direct1: { p50Ms: number }, gateway1: { p50Ms: number }, memory: { peakRssMb: number } }} o
 * @returns {Record<string, Check>} by row id
 */
export function overheadChecks(o) {
  // A figure a tool could not measure arrives as null (JSON has no NaN): make it NaN so it is judged '?'.
  const n = (/** @type {unknown} */ x) => (typeof x === 'number' ? x : Number.NaN);
  o = {
    direct32: { rps: n(o.direct32.rps), p99Ms: n(o.direct32.p99Ms) },
    gateway32: { rps: n(o.gateway32.rps), p99Ms: n(o.gateway32.p99Ms) },
    direct1: { p50Ms: n(o.direct1.p50Ms) },
    gateway1: { p50Ms: n(o.gateway1.p50Ms) },
    memory: { peakRssMb: n(o.memory.peakRssMb) },
  };
  const ratio = o.gateway32.rps / o.direct32.rps;
  const added = o.gateway1.p50Ms - o.direct1.p50Ms;
  const p99Ratio = o.gateway32.p99Ms / o.direct32.p99Ms;
  return {
    rps32: {
      scope: 'overhead',
      id: 'throughput',
      target: `gateway req/s ≥ ${TARGETS.throughputRatio} × direct`,
      measured: `${f(o.gateway32.rps, 0)} / ${f(o.direct32.rps, 0)} = ${f(ratio, 2)}×`,
      pass: judge(ratio >= TARGETS.throughputRatio, ratio),
    },
    p50at1: {
      scope: 'overhead',
      id: 'added-p50-1conn',
      target: `added p50 at 1 connection ≤ ${TARGETS.addedP50Ms.toFixed(2)} ms`,
      measured: `${f(o.gateway1.p50Ms)} − ${f(o.direct1.p50Ms)} = ${f(added)} ms`,
      pass: judge(added <= TARGETS.addedP50Ms, added),
    },
    p99at32: {
      scope: 'overhead',
      id: 'p99-32conn',
      target: `gateway p99 at 32 connections ≤ ${TARGETS.p99Ratio} × direct`,
      measured: `${f(o.gateway32.p99Ms)} / ${f(o.direct32.p99Ms)} = ${f(p99Ratio, 2)}×`,
      pass: judge(p99Ratio <= TARGETS.p99Ratio, p99Ratio),
    },
    peakRss: {
      scope: 'overhead',
      id: 'peak-rss',
      target: `gateway peak RSS under load ≤ ${TARGETS.peakRssMb} MB`,
      measured: `${f(o.memory.peakRssMb, 1)} MB`,
      pass: judge(o.memory.peakRssMb <= TARGETS.peakRssMb, o.memory.peakRssMb),
    },
  };
}

/**
 * The checks of one fault scenario (none for a baseline).
 * @param {{ id: string, baseline?: boolean }} scenario
 * @param {{ rps: number, p50Ms: number, requests: number, errors: { total: number }, upstreams: Record<string, number> }} r
 * @param {{ rps: number, p50Ms: number } | undefined} base the healthy figures of the same route
 * @returns {Check[]}
 */
export function faultChecks(scenario, r, base) {
  if (scenario.baseline) return [];
  /** @type {Check[]} */
  const checks = [];
  const scope = scenario.id;
  if (scenario.id === 'primary-down') {
    const ratio = base ? r.rps / base.rps : Number.NaN;
    checks.push({
      scope,
      id: 'throughput',
      target: `req/s ≥ ${TARGETS.downThroughputRatio} × healthy`,
      measured: `${f(r.rps, 0)} / ${f(base?.rps ?? Number.NaN, 0)} = ${f(ratio, 2)}×`,
      pass: judge(ratio >= TARGETS.downThroughputRatio, ratio),
    });
    const share = r.requests > 0 ? (r.upstreams.primary ?? 0) / r.requests : Number.NaN;
    checks.push({
      scope,
      id: 'primary-share',
      target: `≤ ${TARGETS.downPrimaryShare * 100}% of requests reach the dead primary`,
      measured: `${r.upstreams.primary ?? 'n/a'} of ${r.requests} = ${f(share * 100, 2)}%`,
      pass: judge(share <= TARGETS.downPrimaryShare, share),
    });
  }
  if (scenario.id === 'primary-hanging') {
    const ratio = base ? r.p50Ms / base.p50Ms : Number.NaN;
    checks.push({
      scope,
      id: 'p50',
      target: `p50 ≤ ${TARGETS.hangingP50Ratio} × healthy p50`,
      measured: `${f(r.p50Ms)} / ${f(base?.p50Ms ?? Number.NaN)} ms = ${f(ratio, 2)}×`,
      pass: judge(ratio <= TARGETS.hangingP50Ratio, ratio),
    });
  }
  checks.push({
    scope,
    id: 'errors',
    target: 'zero client-visible errors',
    measured: `${r.errors.total}`,
    pass: judge(r.errors.total === 0, r.errors.total),
  });
  return checks;
}

/**
 * PASS / FAIL / '?' (cannot judge) / '—' (nothing to judge) for a set of checks.
 * @param {Check[]} checks
 */
export function verdictOf(checks) {
  if (checks.length === 0) return '—';
  if (checks.some((c) => c.pass === false)) return 'FAIL';
  if (checks.some((c) => c.pass === null)) return '?';
  return 'PASS';
}
