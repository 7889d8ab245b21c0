import { DEFAULTS } from '../../config/defaults.js';
import type { AdaptiveTimeouts, HealthProbePolicy, ModelConfig, RouteConfig } from '../../config/types.js';

/** The model's active health probe policy (the defaults when the file has no `health_probe`). */
export function healthProbeOf(model: Pick<ModelConfig, 'healthProbe'>): HealthProbePolicy {
  return model.healthProbe ?? DEFAULTS.healthProbe;
}

/** The model's learnt-deadline policy (the defaults when the file has no `adaptive_timeouts`). */
export function adaptiveTimeoutsOf(model: Pick<ModelConfig, 'adaptiveTimeouts'>): AdaptiveTimeouts {
  return model.adaptiveTimeouts ?? DEFAULTS.adaptiveTimeouts;
}

/**
 * The longest Retry-After the route waits out on an earlier model rather than fall to a later one:
 * as configured; else the default for `ordered` routes (the order is the preference), 0 for others
 * (`fastest`, `cheapest` and `weighted` have no preferred model to wait for).
 */
export function waitForPreferredMsOf(
  route: Pick<RouteConfig, 'strategy' | 'waitForPreferredMs'> | undefined,
): number {
  if (route === undefined) return DEFAULTS.route.waitForPreferredMs; // a model named directly, then its fallbacks
  if (route.waitForPreferredMs !== undefined) return route.waitForPreferredMs;
  return route.strategy === 'ordered' ? DEFAULTS.route.waitForPreferredMs : 0;
}
