import { LocalFailure } from '../providers/local-failure.js';
import type { UpstreamError } from '../providers/upstream-error.js';
import { DeadlineExceeded, RequestFailedError } from './errors.js';
import type { ResultMetadata } from './metadata.js';
import type { EngineDeps } from './types.js';
import type { RequestContext } from './walk/request-context.js';

/**
 * The one place where a request's failure becomes a `RequestFailedError`: what the caller sees, with
 * which status, and how its message reads.
 */

/** The caller went away (or cancelled the request). */
export function cancelledFailure(meta: ResultMetadata): RequestFailedError {
  return new RequestFailedError({
    code: 'cancelled',
    message: 'the request was cancelled by the caller',
    status: 499,
    metadata: meta,
  });
}

/** The request's deadline passed before any model answered. */
export function deadlineFailure(meta: ResultMetadata, error: DeadlineExceeded): RequestFailedError {
  return new RequestFailedError({
    code: 'deadline_exceeded',
    message: `${error.message}; ${summary(meta)}`,
    status: 504,
    metadata: meta,
  });
}

/**
 * Whatever ended a request, as the caller should see it: a RequestFailedError passes as is; a caller's
 * abort or the deadline become theirs; anything else (the gateway's own fault) is returned unchanged.
 */
export function toRequestFailure(ctx: RequestContext, meta: ResultMetadata, error: unknown): unknown {
  if (error instanceof RequestFailedError) return error;
  if (ctx.callerAborted) return cancelledFailure(meta);
  if (error instanceof LocalFailure) return localFailure(meta, error);
  if (error instanceof DeadlineExceeded) return deadlineFailure(meta, error);
  return error;
}

/**
 * Not the upstream's doing: the request cannot be sent as it is (a 400, the caller's), or the
 * gateway itself failed during an attempt (a 500, ours). No model is blamed for either.
 */
export function localFailure(meta: ResultMetadata, error: LocalFailure): RequestFailedError {
  return new RequestFailedError(
    error.origin === 'request'
      ? { code: 'invalid_request', message: error.message, status: 400, metadata: meta }
      : { code: 'internal_error', message: error.message, status: 500, metadata: meta },
  );
}

/** A failure the caller must see as is: the upstream judged the request itself (400, content policy). */
export function clientFailure(ctx: RequestContext, error: UpstreamError): RequestFailedError {
  return new RequestFailedError({
    code: error.kind === 'content_policy' ? 'content_policy' : 'upstream_client_error',
    message: error.providerMessage ?? `the upstream refused the request (${error.code})`,
    status: error.status ?? 400,
    metadata: ctx.meta,
    upstream: upstreamOf(error),
  });
}

/**
 * No model answered. When every model was open or cooling down, `retryAfterMs` says when the soonest
 * recovers. When every attempt failed on context length, or no model's wire could honour a field of
 * the request, that is the caller's error to see.
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
    return new RequestFailedError({
      code: 'unsupported_field',
      message: `${unsupported.detail ?? 'a field of the request is not supported'} (no model in the chain can honour it)`,
      status: 400,
      metadata: meta,
    });
  }
  if (lastError?.kind === 'context_length' && meta.attempts.every((a) => a.errorKind === 'context_length')) {
    return new RequestFailedError({
      code: 'context_length_exceeded',
      message: `${lastError.providerMessage ?? 'the prompt is longer than the context window'} (no model in the chain has a larger context window)`,
      status: 400,
      metadata: meta,
      upstream: upstreamOf(lastError),
    });
  }
  return new RequestFailedError({
    code: 'all_models_failed',
    message: `every model of the chain failed: ${summary(meta)}`,
    status: 503,
    metadata: meta,
    retryAfterMs: allUnavailable ? soonestRecoveryMs(deps, meta) : undefined,
  });
}

/** A stream that broke after content reached the caller, and could not be carried on. */
export function streamInterrupted(
  meta: ResultMetadata,
  detail: { model: string; reason: string; why?: string },
): RequestFailedError {
  const why = detail.why ? `; ${detail.why}` : '';
  return new RequestFailedError({
    code: 'stream_interrupted',
    message: `the stream from ${detail.model} broke after content was sent (${detail.reason})${why}: the answer is incomplete`,
    status: 502,
    metadata: meta,
  });
}

/** A committed stream cut by the gateway's own failure (not the model's): a 500, and no recovery. */
export function gatewayStreamFailure(
  meta: ResultMetadata,
  detail: { model: string; message: string },
): RequestFailedError {
  return new RequestFailedError({
    code: 'internal_error',
    message: `the stream from ${detail.model} was cut by the gateway's own failure: ${detail.message}`,
    status: 500,
    metadata: meta,
  });
}

/** A stream ended because the server is shutting down (its grace period ran out). */
export function shutdownFailure(meta: ResultMetadata): RequestFailedError {
  return new RequestFailedError({
    code: 'shutdown',
    message: 'the gateway is shutting down; the answer is incomplete: send the request again',
    status: 503,
    metadata: meta,
  });
}

/** A short per-attempt summary, safe to show a caller: model names and outcomes, no URLs, no keys. */
export function summary(meta: ResultMetadata): string {
  const parts = meta.attempts.map(
    (a) => `${a.model}: ${a.outcome === 'success' ? 'ok' : (a.status ?? a.errorCode ?? a.outcome)}`,
  );
  for (const s of meta.skipped) parts.push(`${s.model}: skipped (${s.detail ?? s.reason.replace('_', ' ')})`);
  return parts.join('; ') || 'no model was tried';
}

function upstreamOf(error: UpstreamError) {
  return { status: error.status, message: error.providerMessage, code: error.providerCode };
}

/** How long until the soonest of the chain's models leaves its cooldown or open breaker. */
function soonestRecoveryMs(deps: EngineDeps, meta: ResultMetadata): number | undefined {
  const now = deps.clock.now();
  let soonest: number | undefined;
  for (const model of meta.chain) {
    const until = Math.max(
      deps.health.cooldownUntil(model) ?? 0,
      deps.health.breaker(model).readyAtMs() ?? 0,
    );
    if (until > now && (soonest === undefined || until - now < soonest)) soonest = until - now;
  }
  return soonest;
}
