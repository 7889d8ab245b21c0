/**
 * The fault scenarios: each runs the three-model route [primary, secondary, tertiary] at 32
 * connections with `fault` set on the primary's simulated provider (the others healthy).
 * `baseline` rows are the no-fault comparison; `hedge` adds `hedge: { after_ms }` to the route;
 * `enabled: false` keeps a row in the table as n/a without running it.
 */

/**
 * @typedef {object} Scenario
 * @property {string} id
 * @property {string} label
 * @property {string} fault the primary's fault spec (POST /__fault)
 * @property {boolean} stream streaming load (`"stream": true`)
 * @property {boolean} [baseline] a no-fault comparison row
 * @property {string} [baselineOf] the id of the baseline this row is compared with
 * @property {{ after_ms: number }} [hedge]
 * @property {{ ratio: number }} [retryBudget] overrides the gateway's retry_budget for this row
 * @property {boolean} [enabled] default true
 * @property {string} [disabledNote] shown when not enabled
 */

// The figures the labels show, so a label says what its fault spec does.
const RETRY_AFTER_S = 5;
const FLAKY_SHARE = 0.3;
const SLOW_FIRST_TOKEN_MS = 300;
const HEDGE = { after_ms: 100 };
const HEDGE_BUDGET = { ratio: 1 };
const CUT_AFTER_CHUNKS = 3;

/** @type {Scenario[]} */
export const SCENARIOS = [
  { id: 'healthy', label: 'healthy (baseline)', fault: 'ok', stream: false, baseline: true },
  { id: 'primary-down', label: 'primary down', fault: '503', stream: false, baselineOf: 'healthy' },
  { id: 'primary-hanging', label: 'primary hanging', fault: 'timeout', stream: false, baselineOf: 'healthy' },
  {
    id: 'primary-429',
    label: `primary 429, Retry-After ${RETRY_AFTER_S}`,
    fault: `429:${RETRY_AFTER_S}`,
    stream: false,
    baselineOf: 'healthy',
  },
  {
    id: 'primary-flaky',
    label: `primary flaky ${FLAKY_SHARE * 100}%`,
    fault: `flaky:${FLAKY_SHARE}`,
    stream: false,
    baselineOf: 'healthy',
  },
  {
    id: 'primary-slow',
    label: `primary slow first token ${SLOW_FIRST_TOKEN_MS}ms`,
    fault: `slow-first-token:${SLOW_FIRST_TOKEN_MS}`,
    stream: false,
    baselineOf: 'healthy',
  },
  {
    id: 'primary-slow-hedged',
    label: `  … with hedging (after ${HEDGE.after_ms}ms, budget ${HEDGE_BUDGET.ratio * 100}%)`,
    fault: `slow-first-token:${SLOW_FIRST_TOKEN_MS}`,
    stream: false,
    baselineOf: 'healthy',
    hedge: HEDGE,
    // A whole-route slowdown hedges every request; the default retry budget (20 %) would cap that,
    // so this row lifts the budget to show what hedging itself does to the latency.
    retryBudget: HEDGE_BUDGET,
  },
  { id: 'healthy-stream', label: 'healthy, streaming (baseline)', fault: 'ok', stream: true, baseline: true },
  {
    id: 'stream-cut',
    label: 'stream cut mid-answer (streaming)',
    fault: `stream-cut:${CUT_AFTER_CHUNKS}`,
    stream: true,
    baselineOf: 'healthy-stream',
  },
];

/**
 * The scenarios of `--tiny`: enough to exercise every code path of the harness quickly (the
 * streaming row runs without its own baseline).
 */
export const TINY_SCENARIOS = ['healthy', 'primary-down', 'stream-cut'];

/** `--quick`: every scenario but the streaming baseline (the stream-cut row then has no "vs base"). */
export const QUICK_SCENARIOS = SCENARIOS.filter((s) => s.id !== 'healthy-stream').map((s) => s.id);

/**
 * The scenarios to run, in table order: the requested ones plus (unless `withBaselines` is false)
 * the baselines they compare with.
 * @param {string[] | null} ids null = all
 * @returns {Scenario[]}
 */
export function selectScenarios(ids, withBaselines = true) {
  if (ids === null) return SCENARIOS;
  const unknown = ids.filter((id) => !SCENARIOS.some((s) => s.id === id));
  if (unknown.length > 0) {
    throw new Error(
      `unknown scenario(s): ${unknown.join(', ')} (known: ${SCENARIOS.map((s) => s.id).join(', ')})`,
    );
  }
  const wanted = new Set(ids);
  if (withBaselines)
    for (const s of SCENARIOS) if (wanted.has(s.id) && s.baselineOf) wanted.add(s.baselineOf);
  return SCENARIOS.filter((s) => wanted.has(s.id));
}
