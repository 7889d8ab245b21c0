import { randomUUID } from 'node:crypto';
import { type Clock, type Random, roundMs } from '../common/clock.js';
import { LinkedAbort } from '../common/linked-abort.js';
import type { ModelConfig, SwitchboardConfig } from '../config/types.js';
import { classifyNetworkError } from '../providers/classify-network.js';
import type { ChatCompletion, ChatProvider, ChatRequestBody } from '../providers/types.js';
import { UpstreamError } from '../providers/upstream-error.js';
import type { Permit } from '../resilience/circuit-breaker.js';
import { parseRetryAfterMs } from '../resilience/retry-after.js';
import { resolveChain } from './chain.js';
import { costUsd } from './cost.js';
import { decideAfterFailure } from './decide.js';
import { AttemptTimeout, DeadlineExceeded, RequestFailedError } from './errors.js';
import type { EventBus } from './events.js';
import type { AttemptRecord, ResultMetadata } from './metadata.js';
import type { ModelHealth } from './model-health.js';
import { RequestContext } from './request-context.js';
import { openStream, type StreamResult } from './stream-session.js';

export interface EngineDeps {
  config: SwitchboardConfig;
  providers: ReadonlyMap<string, ChatProvider>;
  health: ModelHealth;
  bus: EventBus;
  clock: Clock;
  random: Random;
}

export interface RequestOptions {
  /** Pick a route explicitly (wins over the body's `model`). */
  route?: string;
  /** Aborts the request: the in-flight upstream call and every pending wait. */
  signal?: AbortSignal;
  /** A deadline for the whole request, in ms from now (default `timeouts.total_ms`). */
  timeoutMs?: number;
  /** Correlates events and logs (default: a new UUID). */
  requestId?: string;
}

export interface ChatResult {
  completion: ChatCompletion;
  metadata: ResultMetadata;
}

/** A model and the adapter that reaches it. */
export interface Target {
  model: ModelConfig;
  provider: ChatProvider;
}

/** Runs one attempt. Resolves with a value on success or throws (UpstreamError, or an abort reason). */
export type AttemptRunner<T> = (target: Target, attempt: LinkedAbort) => Promise<T>;

/**
 * The fallback engine: walks a chain of models, retrying transient failures with backoff, honouring
 * Retry-After and circuit breakers, within the request's deadline. Knows nothing of HTTP servers.
 */
export class Engine {
  constructor(private readonly deps: EngineDeps) {}

  /** A non-streaming chat completion through the chain. Throws RequestFailedError / UnknownModelError. */
  async chat(body: ChatRequestBody, options: RequestOptions = {}): Promise<ChatResult> {
    const ctx = this.#begin(body, options, false);
    const { chain, fallbackOnContentPolicy } = ctx.resolved;
    try {
      const { value: completion, target } = await this.walk(
        ctx.ctx,
        chain,
        fallbackOnContentPolicy,
        (t, attempt) => {
          attempt.arm(t.model.timeouts.attemptMs, new AttemptTimeout('attempt', t.model.timeouts.attemptMs));
          return t.provider.complete({ body, upstreamModel: t.model.upstreamModel, signal: attempt.signal });
        },
      );
      const meta = ctx.ctx.finish();
      meta.usage = completion.usage;
      meta.costUsd = costUsd(completion.usage, target.model.price);
      this.deps.bus.emit({ type: 'request.succeeded', requestId: meta.requestId, metadata: meta });
      return { completion, metadata: meta };
    } catch (error) {
      throw this.fail(ctx.ctx, error);
    }
  }

  /**
   * A streaming chat completion. Resolves once a model has produced its first content (failover is
   * transparent until then); the result iterates the chunks and carries live metadata.
   */
  async stream(body: ChatRequestBody, options: RequestOptions = {}): Promise<StreamResult> {
    const ctx = this.#begin(body, options, true);
    const { chain, fallbackOnContentPolicy } = ctx.resolved;
    try {
      return await openStream(this, this.deps, ctx.ctx, body, chain, fallbackOnContentPolicy);
    } catch (error) {
      throw this.fail(ctx.ctx, error);
    }
  }

  #begin(body: ChatRequestBody, options: RequestOptions, stream: boolean) {
    const resolved = resolveChain(this.deps.config, {
      model: body.model,
      models: body.models,
      route: options.route,
    });
    const chain = resolved.models;
    const requestId = options.requestId ?? randomUUID();
    const totalMs = options.timeoutMs ?? this.deps.config.timeouts.totalMs;
    const ctx = new RequestContext(
      this.deps.clock,
      requestId,
      totalMs,
      options.signal,
      chain,
      resolved.route,
    );
    if (this.deps.bus.hasListeners) {
      this.deps.bus.emit({ type: 'request.started', requestId, route: resolved.route, chain, stream });
    }
    return { ctx, resolved: { chain, fallbackOnContentPolicy: resolved.fallbackOnContentPolicy } };
  }

  /** Turns whatever ended a request into a RequestFailedError carrying the metadata, and emits it. */
  fail(ctx: RequestContext, error: unknown): unknown {
    const meta = ctx.finish();
    const failure = error instanceof RequestFailedError ? error : this.#terminal(ctx, error, meta);
    this.deps.bus.emit({
      type: 'request.failed',
      requestId: meta.requestId,
      code: failure instanceof RequestFailedError ? failure.code : 'internal_error',
      message: failure instanceof Error ? failure.message : String(failure),
      metadata: meta,
    });
    return failure;
  }

  #terminal(ctx: RequestContext, error: unknown, meta: ResultMetadata): unknown {
    if (ctx.callerAborted)
      return new RequestFailedError('cancelled', 'the request was cancelled by the caller', 499, meta);
    if (error instanceof DeadlineExceeded) {
      return new RequestFailedError('deadline_exceeded', `${error.message}; ${summary(meta)}`, 504, meta);
    }
    return error;
  }

  /**
   * Walks the chain. Each model gets attempts while its breaker and cooldown allow, with retries per
   * its policy; then the next model. If every model was skipped without a single attempt, the one that
   * recovers soonest is tried anyway rather than failing without trying.
   */
  async walk<T>(
    ctx: RequestContext,
    chain: readonly string[],
    fallbackOnContentPolicy: boolean,
    run: AttemptRunner<T>,
  ): Promise<{ value: T; target: Target }> {
    const { config, health, clock } = this.deps;
    let contextLimit: number | undefined;
    let lastError: UpstreamError | undefined;
    let previous: { model: string; reason: string } | undefined;
    const fits = (m: ModelConfig) =>
      contextLimit === undefined || (m.contextWindow !== undefined && m.contextWindow > contextLimit);

    for (let i = 0; i < chain.length; i++) {
      const model = config.models[chain[i] as string] as ModelConfig;
      if (!fits(model)) {
        this.#skip(ctx, model.id, 'context_window');
        continue;
      }
      let waitBeforeMs = 0;
      for (let retry = 0; ; retry++) {
        this.#checkAlive(ctx);
        const gate = health.acquire(model.id);
        if (!gate.permit) {
          this.#skip(ctx, model.id, gate.reason, gate.untilMs);
          break;
        }
        if (previous && retry === 0) this.#fallback(ctx, previous, model.id);
        const outcome = await this.#attempt(ctx, model, gate.permit, retry, waitBeforeMs, run);
        if (outcome.ok) return { value: outcome.value, target: outcome.target };
        const error = outcome.error;
        lastError = error;
        const now = clock.now();
        const retryAfterMs = error.headers ? parseRetryAfterMs(error.headers, now) : undefined;
        if (retryAfterMs !== undefined && (error.kind === 'rate_limited' || error.kind === 'transient')) {
          if (health.coolDown(model.id, now + retryAfterMs)) {
            this.deps.bus.emit({
              type: 'model.cooling_down',
              requestId: ctx.requestId,
              model: model.id,
              untilMs: now + retryAfterMs,
              retryAfterMs,
            });
          }
        }
        if (error.kind === 'context_length')
          contextLimit = Math.max(contextLimit ?? 0, model.contextWindow ?? 0);
        const decision = decideAfterFailure({
          error,
          retry,
          policy: model.retry,
          nowMs: now,
          deadlineMs: ctx.deadlineMs,
          retryAfterMs,
          breakerOpen: health.breaker(model.id).state === 'open',
          otherModelAvailable: chain
            .slice(i + 1)
            .some((id) => fits(config.models[id] as ModelConfig) && health.isAvailable(id)),
          fallbackOnContentPolicy,
          random: this.deps.random,
        });
        if (decision.action === 'fail') throw this.#clientFailure(ctx, error);
        if (decision.action === 'fallback') {
          previous = { model: model.id, reason: decision.reason };
          break;
        }
        this.deps.bus.emit({
          type: 'retry.scheduled',
          requestId: ctx.requestId,
          model: model.id,
          delayMs: decision.delayMs,
          reason: decision.reason,
        });
        waitBeforeMs = decision.delayMs;
        try {
          await clock.sleep(decision.delayMs, ctx.signal);
        } catch {
          this.#checkAlive(ctx);
        }
      }
    }

    const allUnavailable = ctx.meta.attempts.length === 0;
    if (allUnavailable) {
      const soonest = this.#soonestRecovery(ctx);
      if (soonest) {
        const model = config.models[soonest] as ModelConfig;
        if (previous) this.#fallback(ctx, previous, model.id);
        const outcome = await this.#attempt(ctx, model, 'probe', 0, 0, run, true);
        if (outcome.ok) return { value: outcome.value, target: outcome.target };
        lastError = outcome.error;
        if (!lastError.fallback) throw this.#clientFailure(ctx, lastError);
      }
    }
    throw this.#allFailed(ctx, lastError, allUnavailable);
  }

  async #attempt<T>(
    ctx: RequestContext,
    model: ModelConfig,
    permit: Permit,
    retry: number,
    waitBeforeMs: number,
    run: AttemptRunner<T>,
    forced = false,
  ): Promise<{ ok: true; value: T; target: Target } | { ok: false; error: UpstreamError }> {
    const { health, bus, clock } = this.deps;
    const provider = this.deps.providers.get(model.provider) as ChatProvider;
    const target = { model, provider };
    const breaker = health.breaker(model.id);
    const probe = permit === 'probe';
    if (retry > 0) ctx.meta.retries++;
    if (bus.hasListeners) {
      bus.emit({
        type: 'attempt.started',
        requestId: ctx.requestId,
        model: model.id,
        provider: provider.id,
        probe,
        retry,
      });
    }
    const startedAt = clock.now();
    const attempt = new LinkedAbort(clock, ctx.signal);
    try {
      const value = await run(target, attempt);
      if (forced) breaker.success('probe');
      else breaker.success(permit);
      const record: AttemptRecord = {
        model: model.id,
        provider: provider.id,
        outcome: 'success',
        durationMs: roundMs(clock.now() - startedAt),
        waitBeforeMs,
        ...(probe ? { probe } : {}),
      };
      ctx.meta.attempts.push(record);
      ctx.meta.model = model.id;
      ctx.meta.provider = provider.id;
      if (bus.hasListeners) bus.emit({ type: 'attempt.succeeded', requestId: ctx.requestId, ...record });
      return { ok: true, value, target };
    } catch (thrown) {
      const error = this.#classify(ctx, thrown);
      const record: AttemptRecord = {
        model: model.id,
        provider: provider.id,
        outcome: error ? (error.code === 'timeout' ? 'timeout' : 'error') : 'cancelled',
        durationMs: roundMs(clock.now() - startedAt),
        waitBeforeMs,
        ...(probe ? { probe } : {}),
        ...(error
          ? {
              status: error.status,
              errorKind: error.kind,
              errorCode: error.code,
              message: error.providerMessage,
            }
          : {}),
      };
      ctx.meta.attempts.push(record);
      bus.emit({ type: 'attempt.failed', requestId: ctx.requestId, ...record });
      if (!error) {
        breaker.release(permit);
        this.#checkAlive(ctx);
        throw thrown;
      }
      if (!error.countsTowardBreaker) breaker.release(permit);
      else if (forced) breaker.recordFailure(error.code);
      else breaker.failure(permit, error.code);
      if (error.connectFailed) health.providerConnectFailed(model.provider, model.id, error.code);
      return { ok: false, error };
    } finally {
      attempt.dispose();
    }
  }

  /** An UpstreamError for a failed attempt, or undefined when the request itself is over (caller, deadline). */
  #classify(ctx: RequestContext, thrown: unknown): UpstreamError | undefined {
    if (ctx.signal.aborted) return undefined;
    if (thrown instanceof UpstreamError) return thrown;
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

  /** Throws if the caller went away or the deadline passed. */
  #checkAlive(ctx: RequestContext): void {
    if (ctx.signal.aborted) {
      const reason = ctx.signal.reason;
      if (!ctx.callerAborted && reason instanceof DeadlineExceeded) throw reason;
      throw new RequestFailedError('cancelled', 'the request was cancelled by the caller', 499, ctx.meta);
    }
    if (this.deps.clock.now() >= ctx.deadlineMs) throw new DeadlineExceeded(ctx.totalMs);
  }

  #skip(
    ctx: RequestContext,
    model: string,
    reason: 'breaker_open' | 'cooling_down' | 'context_window',
    untilMs?: number,
  ) {
    if (ctx.meta.skipped.some((s) => s.model === model)) return;
    ctx.meta.skipped.push({ model, reason, ...(untilMs !== undefined ? { untilMs } : {}) });
    if (this.deps.bus.hasListeners) {
      this.deps.bus.emit({ type: 'model.skipped', requestId: ctx.requestId, model, reason, untilMs });
    }
  }

  #fallback(ctx: RequestContext, previous: { model: string; reason: string }, to: string) {
    ctx.meta.fallbacks++;
    const { models } = this.deps.config;
    const fromProvider = models[previous.model]?.provider ?? '';
    const toProvider = models[to]?.provider ?? '';
    this.deps.bus.emit({
      type: 'fallback',
      requestId: ctx.requestId,
      from: previous.model,
      to,
      fromProvider,
      toProvider,
      sameProvider: fromProvider === toProvider,
      reason: previous.reason,
    });
  }

  #soonestRecovery(ctx: RequestContext): string | undefined {
    let best: { model: string; untilMs: number } | undefined;
    for (const skip of ctx.meta.skipped) {
      if (skip.reason === 'context_window') continue;
      const untilMs = skip.untilMs ?? 0;
      if (!best || untilMs < best.untilMs) best = { model: skip.model, untilMs };
    }
    return best?.model;
  }

  #clientFailure(ctx: RequestContext, error: UpstreamError): RequestFailedError {
    const upstream = { status: error.status, message: error.providerMessage, code: error.providerCode };
    const message = error.providerMessage ?? `the upstream refused the request (${error.code})`;
    if (error.kind === 'content_policy') {
      return new RequestFailedError(
        'content_policy',
        message,
        error.status ?? 400,
        ctx.meta,
        undefined,
        upstream,
      );
    }
    return new RequestFailedError(
      'upstream_client_error',
      message,
      error.status ?? 400,
      ctx.meta,
      undefined,
      upstream,
    );
  }

  #allFailed(
    ctx: RequestContext,
    lastError: UpstreamError | undefined,
    allUnavailable: boolean,
  ): RequestFailedError {
    const meta = ctx.meta;
    if (
      lastError?.kind === 'context_length' &&
      meta.attempts.every((a) => a.errorKind === 'context_length')
    ) {
      const upstream = {
        status: lastError.status,
        message: lastError.providerMessage,
        code: lastError.providerCode,
      };
      const message = `${lastError.providerMessage ?? 'the prompt is longer than the context window'} (no model in the chain has a larger context window)`;
      return new RequestFailedError('context_length_exceeded', message, 400, meta, undefined, upstream);
    }
    // Every model was open or cooling down: tell the caller when the soonest one recovers.
    let retryAfterMs: number | undefined;
    if (allUnavailable) {
      const now = this.deps.clock.now();
      for (const model of ctx.meta.chain) {
        const until = Math.max(
          this.deps.health.cooldownUntil(model) ?? 0,
          this.deps.health.breaker(model).readyAtMs() ?? 0,
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
}

/** A short per-attempt summary, safe to show a caller: model names and outcomes, no URLs, no keys. */
export function summary(meta: ResultMetadata): string {
  const parts = meta.attempts.map(
    (a) => `${a.model}: ${a.outcome === 'success' ? 'ok' : (a.status ?? a.errorCode ?? a.outcome)}`,
  );
  for (const s of meta.skipped) parts.push(`${s.model}: skipped (${s.reason.replace('_', ' ')})`);
  return parts.join('; ') || 'no model was tried';
}
