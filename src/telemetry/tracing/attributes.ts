import type { SwitchboardConfig } from '../../config/types.js';
import type { AttemptRecord, ResultMetadata } from '../../routing/index.js';
import { genAiProviderName } from './provider-name.js';

/** Span attributes: the GenAI semantic conventions' names where they have one, `switchboard.*` otherwise. */
export type Attributes = Record<string, string | number | boolean | string[]>;

/** Pure: what the server span of a request says about how it was answered (or not). */
export function resultAttributes(config: SwitchboardConfig, meta: ResultMetadata): Attributes {
  const attributes: Attributes = {
    'switchboard.attempts': meta.attempts.length,
    'switchboard.fallbacks': meta.fallbacks,
    'switchboard.retries': meta.retries,
    'switchboard.hedges': meta.hedges,
    'switchboard.cost_usd': meta.costUsd,
    'switchboard.latency_ms': meta.latencyMs,
  };
  if (meta.wastedCostUsd > 0) attributes['switchboard.wasted_cost_usd'] = meta.wastedCostUsd;
  if (meta.skipped.length > 0)
    attributes['switchboard.skipped'] = meta.skipped.map((s) => `${s.model}:${s.reason}`);
  if (meta.recoveries.length > 0) attributes['switchboard.stream_recoveries'] = meta.recoveries.length;
  if (meta.timeToFirstTokenMs !== undefined)
    attributes['switchboard.time_to_first_token_ms'] = meta.timeToFirstTokenMs;
  if (meta.usage) {
    attributes['gen_ai.usage.input_tokens'] = meta.usage.prompt_tokens;
    attributes['gen_ai.usage.output_tokens'] = meta.usage.completion_tokens;
  }
  const model = meta.model === undefined ? undefined : config.models[meta.model];
  if (model) {
    attributes['gen_ai.response.model'] = model.upstreamModel;
    attributes['switchboard.model'] = model.id;
    const provider = config.providers[model.provider];
    attributes['switchboard.provider'] = model.provider;
    if (provider) attributes['gen_ai.provider.name'] = genAiProviderName(provider);
  }
  return attributes;
}

/** Pure: an attempt span's attributes at its start. */
export function attemptStartAttributes(
  config: SwitchboardConfig,
  operation: string,
  event: { model: string; provider: string; probe: boolean; retry: number; hedge: boolean },
): Attributes {
  const model = config.models[event.model];
  const provider = config.providers[event.provider];
  return {
    'gen_ai.operation.name': operation,
    'gen_ai.request.model': model?.upstreamModel ?? event.model,
    'gen_ai.provider.name': provider ? genAiProviderName(provider) : event.provider,
    'switchboard.model': event.model,
    'switchboard.provider': event.provider,
    'switchboard.attempt.retry': event.retry,
    'switchboard.attempt.hedge': event.hedge,
    'switchboard.attempt.probe': event.probe,
  };
}

/** Pure: an attempt span's attributes at its end; `error.type` is the stable code (`http_503`, `timeout`). */
export function attemptEndAttributes(config: SwitchboardConfig, record: AttemptRecord): Attributes {
  const attributes: Attributes = {
    'switchboard.attempt.outcome': record.outcome,
    'switchboard.attempt.duration_ms': record.durationMs,
    'switchboard.attempt.wait_before_ms': record.waitBeforeMs,
  };
  if (record.status !== undefined) attributes['http.response.status_code'] = record.status;
  if (record.outcome === 'success') {
    const model = config.models[record.model];
    attributes['gen_ai.response.model'] = model?.upstreamModel ?? record.model;
  } else if (record.outcome !== 'cancelled') {
    attributes['error.type'] = record.errorCode ?? record.errorKind ?? record.outcome;
    if (record.errorKind !== undefined) attributes['switchboard.error.kind'] = record.errorKind;
  }
  return attributes;
}
