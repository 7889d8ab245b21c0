import type { Random } from '../../common/clock.js';
import type { ModelConfig, RouteConfig } from '../../config/types.js';

/** Probability that `fastest` moves a random fallback to the front, so it gets measured again. */
export const DEFAULT_EXPLORE_RATE = 0.05;

/** What ordering a route's chain for one request depends on. */
export interface OrderInput {
  route: Pick<RouteConfig, 'models' | 'weights' | 'strategy'>;
  /** Model configs by id; a model missing here has no price. */
  models: Readonly<Record<string, Pick<ModelConfig, 'price'>>>;
  /** EWMA latency per model (ms), undefined when unmeasured. */
  latencyMs: (model: string) => number | undefined;
  /** Estimated tokens of this request. */
  promptTokens: number;
  completionTokens: number;
  random: Random;
  /** Probability of exploring with `fastest` (default 0.05). */
  exploreRate?: number;
}

/**
 * The route's chain, ordered for one request by its strategy (a fresh array, the same models):
 *
 * - `ordered`: as written.
 * - `fastest`: unmeasured models first, in chain order (they need measuring), then the measured
 *   ones by EWMA latency ascending (ties keep chain order); a latency that is not a finite number
 *   >= 0 counts as unmeasured. With probability `exploreRate`, one model other than the first,
 *   chosen uniformly, then moves to the front so that a recovered or slower model gets measured
 *   again. `random` is called only when there is something to explore: once for the coin, once
 *   more for the pick.
 * - `cheapest`: ascending by the estimated cost of this request, promptTokens × input +
 *   completionTokens × output (USD per 1M tokens); models without a price (or with a garbage one)
 *   come last, their cost unknown; ties keep chain order. Token counts that are not finite numbers
 *   >= 0 count as 0.
 * - `weighted`: sampled without replacement in proportion to the weights: the first pick takes the
 *   load, the rest follow as fallbacks in weighted order. One `random` call per pick while two or
 *   more positive weights remain. A missing weight counts as the default, 1; a zero, negative or
 *   non-finite one as 0: those models still come, at the end, in chain order.
 *
 * An unknown strategy orders as written. Deterministic given `random`.
 */
export function orderChain(input: OrderInput): string[] {
  const chain = [...input.route.models];
  if (chain.length < 2) return chain;
  switch (input.route.strategy) {
    case 'fastest':
      return orderFastest(chain, input.latencyMs, input.random, exploreRateOf(input.exploreRate));
    case 'cheapest':
      return orderCheapest(chain, input.models, input.promptTokens, input.completionTokens);
    case 'weighted':
      return orderWeighted(chain, input.route.weights, input.random);
    default:
      return chain;
  }
}

function orderFastest(
  chain: readonly string[],
  latencyMs: (model: string) => number | undefined,
  random: Random,
  exploreRate: number,
): string[] {
  const unmeasured: string[] = [];
  const measured: Array<{ model: string; ms: number }> = [];
  for (const model of chain) {
    const ms = latencyMs(model);
    if (typeof ms === 'number' && Number.isFinite(ms) && ms >= 0) measured.push({ model, ms });
    else unmeasured.push(model);
  }
  // Array.prototype.sort is stable: equal latencies keep chain order.
  measured.sort((a, b) => a.ms - b.ms);
  const ordered = [...unmeasured, ...measured.map((m) => m.model)];
  if (exploreRate > 0 && random() < exploreRate) {
    const index = 1 + pickIndex(random(), ordered.length - 1);
    const [explored] = ordered.splice(index, 1);
    ordered.unshift(explored!);
  }
  return ordered;
}

function orderCheapest(
  chain: readonly string[],
  models: OrderInput['models'],
  promptTokens: number,
  completionTokens: number,
): string[] {
  const prompt = nonNegative(promptTokens);
  const completion = nonNegative(completionTokens);
  const priced: Array<{ model: string; cost: number }> = [];
  const unpriced: string[] = [];
  for (const model of chain) {
    // Own properties only: a model named `constructor` or `__proto__` must not find Object's.
    const price = Object.hasOwn(models, model) ? models[model]?.price : undefined;
    const input = price?.inputUsdPer1M;
    const output = price?.outputUsdPer1M;
    if (isPrice(input) && isPrice(output)) priced.push({ model, cost: prompt * input + completion * output });
    else unpriced.push(model);
  }
  priced.sort((a, b) => a.cost - b.cost);
  return [...priced.map((p) => p.model), ...unpriced];
}

function orderWeighted(chain: readonly string[], weights: readonly number[], random: Random): string[] {
  const pool: Array<{ model: string; weight: number }> = [];
  const zero: string[] = [];
  chain.forEach((model, i) => {
    const weight = weightOf(weights, i);
    if (weight > 0) pool.push({ model, weight });
    else zero.push(model);
  });
  const ordered: string[] = [];
  while (pool.length > 1) {
    let total = 0;
    for (const entry of pool) total += entry.weight;
    const target = clampUnit(random()) * total;
    // The last entry catches a target that float rounding pushed to (or past) the total.
    let index = pool.length - 1;
    let cumulative = 0;
    for (let i = 0; i < pool.length; i++) {
      cumulative += pool[i]!.weight;
      if (target < cumulative) {
        index = i;
        break;
      }
    }
    ordered.push(pool[index]!.model);
    pool.splice(index, 1);
  }
  for (const entry of pool) ordered.push(entry.model);
  return [...ordered, ...zero];
}

/**
 * Estimated prompt tokens of chat `messages`: about one token per 4 characters of every string
 * content, the text of array content parts (`{ type: 'text', text }`, or bare strings), and tool-call
 * names and arguments. At least 1; anything that is not an array of message objects counts as empty.
 */
export function estimatePromptTokens(messages: unknown): number {
  let chars = 0;
  if (Array.isArray(messages)) {
    for (const message of messages) {
      if (!isRecord(message)) continue;
      chars += contentChars(message.content);
      if (Array.isArray(message.tool_calls)) {
        for (const call of message.tool_calls) {
          if (!isRecord(call) || !isRecord(call.function)) continue;
          chars += stringLength(call.function.name) + stringLength(call.function.arguments);
        }
      }
    }
  }
  return Math.max(1, Math.ceil(chars / 4));
}

function contentChars(content: unknown): number {
  if (typeof content === 'string') return content.length;
  if (!Array.isArray(content)) return 0;
  let chars = 0;
  for (const part of content) {
    if (typeof part === 'string') chars += part.length;
    else if (isRecord(part)) chars += stringLength(part.text);
  }
  return chars;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringLength(value: unknown): number {
  return typeof value === 'string' ? value.length : 0;
}

function exploreRateOf(rate: number | undefined): number {
  if (rate === undefined) return DEFAULT_EXPLORE_RATE;
  return Number.isNaN(rate) ? 0 : Math.min(1, Math.max(0, rate));
}

/** The weight of chain entry `i`: missing → 1 (the config default), garbage → 0. */
function weightOf(weights: readonly number[], i: number): number {
  if (i >= weights.length) return 1;
  const weight: unknown = weights[i];
  return typeof weight === 'number' && Number.isFinite(weight) && weight > 0 ? weight : 0;
}

function isPrice(n: unknown): n is number {
  return typeof n === 'number' && Number.isFinite(n) && n >= 0;
}

function nonNegative(n: number): number {
  return Number.isFinite(n) && n > 0 ? n : 0;
}

/** A draw clamped to [0, 1); NaN counts as 0. */
function clampUnit(x: number): number {
  if (!(x > 0)) return 0;
  return x < 1 ? x : 1 - Number.EPSILON / 2;
}

/** An index in 0..n-1 from a uniform draw in [0, 1). */
function pickIndex(x: number, n: number): number {
  return Math.min(n - 1, Math.floor(clampUnit(x) * n));
}
