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

/**
 * The numbers the targets use. The overhead ones are issue #14's goals: ratios to the same load
 * sent direct to the simulated provider, measured in one run.
 */
export const TARGETS = {
  /** JSON: gateway req/s ≥ this × direct, at the load's connection count. */
  throughputRatio: 0.4,
  /** Streams: gateway req/s ≥ this × direct-stream. */
  streamThroughputRatio: 0.35,
  addedP50Ms: 0.1,
  /** JSON: gateway p99 ≤ this × direct. */
  p99Ratio: 3,
  /** Streams: gateway p99 ≤ this × direct-stream. */
  streamP99Ratio: 3,
  /** The gateway's peak RSS under each load (JSON, stream), each on its own gateway process. */
  peakRssMb: 120,
  downThroughputRatio: 0.9,
  downPrimaryShare: 0.01,
  hangingP50Ratio: 2,
};

/**
 * @typedef {{ rps: number, p50Ms: number, p99Ms: number }} LoadFigures
 * @typedef {object} OverheadFigures
 * @property {number} connections of the loaded phases
 * @property {LoadFigures} direct32
 * @property {LoadFigures} gateway32
 * @property {{ p50Ms: number }} direct1
 * @property {{ p50Ms: number }} gateway1
 * @property {LoadFigures} directStream32
 * @property {LoadFigures} gatewayStream32
 * @property {{ peakRssMb: number, streamPeakRssMb: number }} memory
 */

/** A figure a tool could not measure arrives as null (JSON has no NaN): NaN, so it is judged '?'. */
const n = (/** @type {unknown} */ x) => (typeof x === 'number' ? x : Number.NaN);

/**
 * @param {string} id
 * @param {string} what e.g. 'gateway req/s'
 * @param {LoadFigures} direct
 * @param {LoadFigures} gateway
 * @param {number} minRatio
 * @returns {Check}
 */
function throughputCheck(id, what, direct, gateway, minRatio) {
  const ratio = n(gateway.rps) / n(direct.rps);
  return {
    scope: 'overhead',
    id,
    target: `${what} ≥ ${minRatio} × direct`,
    measured: `${f(n(gateway.rps), 0)} / ${f(n(direct.rps), 0)} = ${f(ratio, 2)}×`,
    pass: judge(ratio >= minRatio, ratio),
  };
}

/**
 * @param {string} id
 * @param {string} what e.g. 'gateway p99 at 32 connections'
 * @param {LoadFigures} direct
 * @param {LoadFigures} gateway
 * @param {number} maxRatio
 * @returns {Check}
 */
function p99Check(id, what, direct, gateway, maxRatio) {
  const ratio = n(gateway.p99Ms) / n(direct.p99Ms);
  return {
    scope: 'overhead',
    id,
    target: `${what} ≤ ${maxRatio} × direct`,
    measured: `${f(n(gateway.p99Ms))} / ${f(n(direct.p99Ms))} = ${f(ratio, 2)}×`,
    pass: judge(ratio <= maxRatio, ratio),
  };
}

/**
 * @param {string} id
 * @param {string} load 'JSON' | 'stream'
 * @param {number} peakRssMb
 * @returns {Check}
 */
function rssCheck(id, load, peakRssMb) {
  const mb = n(peakRssMb);
  return {
    scope: 'overhead',
    id,
    target: `gateway peak RSS under the ${load} load ≤ ${TARGETS.peakRssMb} MB`,
    measured: `${f(mb, 1)} MB`,
    pass: judge(mb <= TARGETS.peakRssMb, mb),
  };
}

/**
 * @param {OverheadFigures} o
 * @returns the checks, by the row they judge
 */
export function overheadChecks(o) {
  const added = n(o.gateway1.p50Ms) - n(o.direct1.p50Ms);
  const c = o.connections;
  return {
    rps32: throughputCheck(
      'throughput',
      'gateway req/s (JSON)',
      o.direct32,
      o.gateway32,
      TARGETS.throughputRatio,
    ),
    p50at1: {
      scope: 'overhead',
      id: 'added-p50-1conn',
      target: `added p50 at 1 connection ≤ ${TARGETS.addedP50Ms.toFixed(2)} ms`,
      measured: `${f(n(o.gateway1.p50Ms))} − ${f(n(o.direct1.p50Ms))} = ${f(added)} ms`,
      pass: judge(added <= TARGETS.addedP50Ms, added),
    },
    p99at32: p99Check(
      'p99-32conn',
      `gateway p99 at ${c} connections (JSON)`,
      o.direct32,
      o.gateway32,
      TARGETS.p99Ratio,
    ),
    peakRss: rssCheck('peak-rss', 'JSON', o.memory.peakRssMb),
    streamRps32: throughputCheck(
      'stream-throughput',
      'gateway req/s (streams)',
      o.directStream32,
      o.gatewayStream32,
      TARGETS.streamThroughputRatio,
    ),
    streamP99at32: p99Check(
      'stream-p99-32conn',
      `gateway p99 at ${c} connections (streams)`,
      o.directStream32,
      o.gatewayStream32,
      TARGETS.streamP99Ratio,
    ),
    streamPeakRss: rssCheck('stream-peak-rss', 'stream', o.memory.streamPeakRssMb),
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
