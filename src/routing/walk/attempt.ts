import { roundMs } from '../../common/clock.js';
import { type AbortSignalLike, LinkedAbort } from '../../common/linked-abort.js';
import type { ModelConfig } from '../../config/types.js';
import { LocalFailure } from '../../providers/local-failure.js';
import type { ChatProvider } from '../../providers/types.js';
import type { UpstreamError } from '../../providers/upstream-error.js';
import type { Permit } from '../../resilience/circuit-breaker.js';
import type { AttemptRecord } from '../metadata.js';
import type { EngineDeps, Target } from '../types.js';
import { checkAlive, classifyThrown } from './guards.js';
import type { RequestContext } from './request-context.js';

/** Runs one attempt. Resolves with a value on success or throws (UpstreamError, or an abort reason). */
export type AttemptRunner<T> = (target: Target, attempt: LinkedAbort) => Promise<T>;

export type AttemptOutcome<T> =
  | { ok: true; value: T; target: Target }
  | { ok: false; error: UpstreamError }
  | { ok: false; error?: undefined; cancelled: true }
  /** Not the upstream's doing (the request cannot be sent, or the gateway failed): ends the request. */
  | { ok: false; error?: undefined; local: LocalFailure };

/** What stays the same for every attempt of one walk. */
export interface WalkScope<T> {
  deps: EngineDeps;
  ctx: RequestContext;
  run: AttemptRunner<T>;
}

/** One attempt: which model, under which permit, and how it came about. */
export interface AttemptOptions {
  model: ModelConfig;
  permit: Permit;
  /** Retries already made on this model in this request. */
  retry: number;
  waitBeforeMs: number;
  /** Tried although its breaker is open or it is cooling down (every model was unavailable). */
  forced?: boolean;
  /** Started in parallel with a slow attempt of another model. */
  hedge?: boolean;
  /** Withdraws the attempt (a hedged pair's loser). */
  cancel?: AbortSignalLike;
}

/**
 * One attempt on one model, with its bookkeeping: the breaker verdict, the attempt record, events,
 * latency samples and the rpm counter. Throws only when the request itself is over.
 */
export async function runAttempt<T>(
  scope: WalkScope<T>,
  options: AttemptOptions,
): Promise<AttemptOutcome<T>> {
  const { deps, ctx, run } = scope;
  const { model, permit } = options;
  const { health, bus, clock } = deps;
  const provider = deps.providers.get(model.provider) as ChatProvider;
  const target = { model, provider };
  const breaker = health.breaker(model.id);
  if (options.retry > 0) ctx.meta.retries++;
  health.noteRequest(model.id);
  if (bus.hasListeners) {
    bus.emit({
      type: 'attempt.started',
      requestId: ctx.requestId,
      model: model.id,
      provider: provider.id,
      probe: permit === 'probe',
      retry: options.retry,
      hedge: options.hedge === true,
    });
  }
  const startedAt = clock.now();
  const attempt = new LinkedAbort(clock, ctx.signal);
  const onCancel = () => attempt.abort(options.cancel?.reason);
  options.cancel?.addEventListener('abort', onCancel, { once: true });
  const probe = permit === 'probe' && !options.forced;
  try {
    const value = await run(target, attempt);
    const durationMs = roundMs(clock.now() - startedAt);
    breaker.success(permit);
    health.observe(model.id, ctx.stream, durationMs);
    const record = attemptRecord(model.id, provider.id, options, probe, 'success', durationMs);
    ctx.meta.attempts.push(record);
    ctx.meta.model = model.id;
    ctx.meta.provider = provider.id;
    if (bus.hasListeners) bus.emit({ type: 'attempt.succeeded', requestId: ctx.requestId, ...record });
    return { ok: true, value, target };
  } catch (thrown) {
    const error = classifyThrown(ctx, thrown);
    if (error instanceof LocalFailure) {
      // No verdict on the model: the permit goes back, nothing is recorded against it.
      if (!options.forced) breaker.release(permit);
      return { ok: false, local: error };
    }
    const failure = typeof error === 'object' ? error : undefined;
    const outcome = failure ? (failure.code === 'timeout' ? 'timeout' : 'error') : 'cancelled';
    const record = attemptRecord(
      model.id,
      provider.id,
      options,
      probe,
      outcome,
      roundMs(clock.now() - startedAt),
    );
    if (failure) {
      record.status = failure.status;
      record.errorKind = failure.kind;
      record.errorCode = failure.code;
      record.message = failure.providerMessage;
    }
    ctx.meta.attempts.push(record);
    bus.emit({ type: 'attempt.failed', requestId: ctx.requestId, ...record });
    const release = () => {
      if (!options.forced) breaker.release(permit);
    };
    if (!failure) {
      release();
      if (error === 'cancelled') return { ok: false, cancelled: true };
      checkAlive(ctx);
      throw thrown;
    }
    if (!failure.countsTowardBreaker) release();
    else if (options.forced) breaker.recordFailure(failure.code);
    else breaker.failure(permit, failure.code);
    if (failure.connectFailed) health.providerConnectFailed(model.provider, model.id, failure.code);
    return { ok: false, error: failure };
  } finally {
    options.cancel?.removeEventListener('abort', onCancel);
    attempt.dispose();
  }
}

/** One attempt's record, built field by field (object spreads cost more than the attempt's own work here). */
function attemptRecord(
  model: string,
  provider: string,
  options: AttemptOptions,
  probe: boolean,
  outcome: AttemptRecord['outcome'],
  durationMs: number,
): AttemptRecord {
  const record: AttemptRecord = { model, provider, waitBeforeMs: options.waitBeforeMs, outcome, durationMs };
  if (probe) record.probe = true;
  if (options.hedge) record.hedge = true;
  return record;
}
