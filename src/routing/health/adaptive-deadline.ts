import type { AdaptiveTimeouts } from '../../config/types.js';

/** What a learnt deadline is computed from. */
export interface AdaptiveDeadlineInput {
  /** The configured limit: the ceiling, and the answer while too few samples exist. */
  configuredMs: number;
  /** The model's observed p99 (first token for streams, whole answer otherwise); undefined: none. */
  p99Ms: number | undefined;
  samples: number;
  policy: AdaptiveTimeouts;
}

/**
 * The limit an attempt gets (pure): `multiple` × p99 once `minSamples` samples exist, never below
 * `floorMs` nor above the configured limit; the configured limit when off, short of samples, or
 * when the inputs are not finite numbers.
 */
export function adaptiveDeadlineMs(input: AdaptiveDeadlineInput): number {
  const { configuredMs, p99Ms, samples, policy } = input;
  if (!policy.enabled || samples < policy.minSamples) return configuredMs;
  if (p99Ms === undefined || !Number.isFinite(p99Ms) || p99Ms < 0) return configuredMs;
  if (!Number.isFinite(policy.multiple) || policy.multiple <= 0) return configuredMs;
  const learnt = Math.max(policy.floorMs, Math.ceil(p99Ms * policy.multiple));
  return Math.min(configuredMs, learnt);
}
