import type { UpstreamError } from '../providers/upstream-error.js';
import type { EngineDeps } from './engine.js';
import { RequestFailedError } from './errors.js';
import type { ResultMetadata } from './metadata.js';
import type { RequestContext } from './request-context.js';

/** A failure the caller must see as is: the upstream judged the request itself (400, content policy). */
export function clientFailure(ctx: RequestContext, error: UpstreamError): RequestFailedError {
  const upstream = { status: error.status, message: error.providerMessage, code: error.providerCode };
  const message = error.providerMessage ?? `the upstream refused the request (${error.code})`;
  const code = error.kind === 'content_policy' ? 'content_policy' : 'upstream_client_error';
  return new RequestFailedError(code, message, error.status ?? 400, ctx.meta, undefined, upstream);
}

/**
 * No model answered. When every model was open or cooling down, `retryAfterMs` says when the soonest
 * recovers. When every attempt failed on context length, that is the caller's error to see.
 */
export function allFailed(
  deps: EngineDeps,
  ctx: RequestContext,
  lastError: UpstreamError | undefined,
  allUnavailable: boolean,
): RequestFailedError {
  const meta = ctx.meta;
  const unsupported = meta.skipped.find((s) => s.reason === 'unsupported');
  if (unsupported && meta.attempts.length === 0 && meta.skipped.every((s) => s.reason === 'unsupported')) {
    const message = `${unsupported.detail ?? 'a field of the request is not supported'} (no model in the chain can honour it)`;
    return new RequestFailedError('unsupported_field', message, 400, meta);
  }
  if (lastError?.kind === 'context_length' && meta.attempts.every((a) => a.errorKind === 'context_length')) {
    const upstream = {
      status: lastError.status,
      message: lastError.providerMessage,
      code: lastError.providerCode,
    };
    const message = `${lastError.providerMessage ?? 'the prompt is longer than the context window'} (no model in the chain has a larger context window)`;
    return new RequestFailedError('context_length_exceeded', message, 400, meta, undefined, upstream);
  }
  let retryAfterMs: number | undefined;
  if (allUnavailable) {
    const now = deps.clock.now();
    for (const model of meta.chain) {
      const until = Math.max(
        deps.health.cooldownUntil(model) ?? 0,
        deps.health.breaker(model).readyAtMs() ?? 0,
      );
      if (until > now && (retryAfterMs === undefined || until - now < retryAfterMs))
        retryAfterMs = until - now;
    }
  }
  return new RequestFailedError(
    'all_models_failed',
    `every model of the chain failed: ${summary(meta)}`,
    503,
    meta,
    retryAfterMs,
  );
}

/** A short per-attempt summary, safe to show a caller: model names and outcomes, no URLs, no keys. */
export function summary(meta: ResultMetadata): string {
  const parts = meta.attempts.map(
    (a) => `${a.model}: ${a.outcome === 'success' ? 'ok' : (a.status ?? a.errorCode ?? a.outcome)}`,
  );
  for (const s of meta.skipped) parts.push(`${s.model}: skipped (${s.detail ?? s.reason.replace('_', ' ')})`);
  return parts.join('; ') || 'no model was tried';
}
