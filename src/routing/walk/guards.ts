import { classifyNetworkError } from '../../providers/classify-network.js';
import { LocalFailure } from '../../providers/local-failure.js';
import { UpstreamError } from '../../providers/upstream-error.js';
import { AttemptTimeout, DeadlineExceeded, HedgeLost } from '../errors.js';
import { cancelledFailure } from '../failures.js';
import type { RequestContext } from './request-context.js';

/** Throws if the caller went away or the request's deadline passed. */
export function checkAlive(ctx: RequestContext): void {
  if (ctx.signal.aborted) {
    const reason = ctx.signal.reason;
    if (!ctx.callerAborted && reason instanceof DeadlineExceeded) throw reason;
    throw cancelledFailure(ctx.meta);
  }
  if (ctx.clock.now() >= ctx.deadlineMs) throw new DeadlineExceeded(ctx.totalMs);
}

/**
 * What a thrown attempt means: an UpstreamError for a failure of the model, `'cancelled'` when the
 * engine itself withdrew it (a hedge lost, a stream closed), undefined when the request is over
 * (caller gone, deadline passed), or a LocalFailure when the upstream had no part in it (the
 * request cannot be sent, or the gateway itself failed): only the first says anything about the model.
 */
export function classifyThrown(
  ctx: RequestContext,
  thrown: unknown,
): UpstreamError | LocalFailure | 'cancelled' | undefined {
  if (ctx.signal.aborted) return undefined;
  if (thrown instanceof HedgeLost) return 'cancelled';
  if (thrown instanceof UpstreamError || thrown instanceof LocalFailure) return thrown;
  if (thrown instanceof AttemptTimeout) {
    return new UpstreamError({
      kind: 'transient',
      code: 'timeout',
      providerMessage: thrown.message,
      cause: thrown,
    });
  }
  return classifyNetworkError(thrown);
}
