import type { ResultMetadata } from '../../routing/index.js';

/** The `x-switchboard-*` answer headers. Cost is only known at the end of a stream, so streams omit it. */
export function metadataHeaders(meta: ResultMetadata, withCost: boolean): Record<string, string> {
  const headers: Record<string, string> = {
    'x-request-id': meta.requestId,
    'x-switchboard-attempts': String(meta.attempts.length),
    'x-switchboard-fallbacks': String(meta.fallbacks),
  };
  if (meta.model) headers['x-switchboard-model'] = meta.model;
  if (meta.provider) headers['x-switchboard-provider'] = meta.provider;
  if (meta.route) headers['x-switchboard-route'] = meta.route;
  if (withCost) headers['x-switchboard-cost-usd'] = meta.costUsd.toFixed(8);
  return headers;
}

/** The opt-in debug view (`x-switchboard-debug: 1`): the attempt list, safe to show a caller. */
export function debugView(meta: ResultMetadata) {
  return {
    request_id: meta.requestId,
    route: meta.route ?? null,
    model: meta.model ?? null,
    provider: meta.provider ?? null,
    fallbacks: meta.fallbacks,
    retries: meta.retries,
    hedges: meta.hedges,
    recoveries: meta.recoveries,
    latency_ms: meta.latencyMs,
    time_to_first_token_ms: meta.timeToFirstTokenMs ?? null,
    cost_usd: meta.costUsd,
    attempts: meta.attempts.map((a) => ({
      model: a.model,
      provider: a.provider,
      outcome: a.outcome,
      status: a.status ?? null,
      error: a.errorCode ?? null,
      duration_ms: a.durationMs,
      wait_before_ms: a.waitBeforeMs,
      ...(a.hedge ? { hedge: true } : {}),
      ...(a.probe ? { probe: true } : {}),
    })),
    skipped: meta.skipped,
  };
}
