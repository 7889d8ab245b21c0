import type { SwitchboardConfig } from '../config/types.js';
import type { Timeline } from './types.js';

const WARM_MS = 10_000; // 10 s of healthy traffic first
const MIN_FAULT_MS = 20_000;
const MAX_FAULT_MS = 600_000; // 10 min
const TAIL_MARGIN_MS = 10_000;

/**
 * One timeline for every scenario, from the policies of the drilled routes' models: the fault lasts
 * long enough for a breaker to open and a probe to meet the fault (2 cooldowns) and for a hanging
 * attempt to time out and the breaker to cool down; the tail leaves room for a doubled cooldown to
 * end, so traffic can be seen returning.
 */
export function timelineFor(config: SwitchboardConfig, routes: readonly string[]): Timeline {
  let cooldownMs = 0;
  let maxCooldownMs = 0;
  let attemptMs = 0;
  for (const route of routes) {
    for (const id of config.routes[route]?.models ?? []) {
      const model = config.models[id];
      if (!model) continue;
      cooldownMs = Math.max(cooldownMs, model.circuitBreaker.cooldownMs);
      maxCooldownMs = Math.max(maxCooldownMs, model.circuitBreaker.maxCooldownMs);
      attemptMs = Math.max(attemptMs, model.timeouts.attemptMs);
    }
  }
  const faultMs = clamp(Math.max(2 * cooldownMs, attemptMs + cooldownMs), MIN_FAULT_MS, MAX_FAULT_MS);
  const tailMs = Math.min(2 * cooldownMs, Math.max(maxCooldownMs, cooldownMs)) + TAIL_MARGIN_MS;
  return { warmMs: WARM_MS, faultMs, tailMs, spanMs: WARM_MS + faultMs + tailMs };
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
