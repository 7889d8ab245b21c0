import type { AdaptiveTimeouts } from '../../config/types.js';

/** What a learnt deadline is computed from. */
export interface AdaptiveDeadlineInput {
  /** The configured limit: the ceiling, and the answer while too few samples exist. */
  configuredMs: number;
  /** The model's observed p99 (first token for streams, whole answer otherwise); undefined: none. */
  p99Ms: number | undefined;
  samples: number;
  /** The request's prompt, estimated tokens: `perThousandPromptTokensMs` each 1,000 (default 0). */
  promptTokens?: number;
  policy: AdaptiveTimeouts;
}

/**
 * The limit an attempt gets (pure): `multiple` × p99 once `minSamples` samples exist, never below
 * `floorMs`, plus `perThousandPromptTokensMs` per 1,000 prompt tokens (a long prompt's prefill), and
 * never above the configured limit; the configured limit when off, short of samples, or when the
 * inputs are not finite numbers.
 */
export function adaptiveDeadlineMs(input: AdaptiveDeadlineInput): number {
  const { configuredMs, p99Ms, samples, policy } = input;
  if (!policy.enabled || samples < policy.minSamples) return configuredMs;
  if (p99Ms === undefined || !Number.isFinite(p99Ms) || p99Ms < 0) return configuredMs;
  if (!Number.isFinite(policy.multiple) || policy.multiple <= 0) return configuredMs;
  const tokens = input.promptTokens;
  const perK = policy.perThousandPromptTokensMs;
  const prefillMs =
    tokens !== undefined && Number.isFinite(tokens) && tokens > 0 && Number.isFinite(perK) && perK > 0
      ? Math.floor((tokens / 1_000) * perK)
      : 0;
  const learnt = Math.max(policy.floorMs, Math.ceil(p99Ms * policy.multiple)) + prefillMs;
  return Math.min(configuredMs, learnt);
}
