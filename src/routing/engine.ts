import { randomUUID } from 'node:crypto';
import type { Clock, Random } from '../common/clock.js';
import type { AbortSignalLike } from '../common/linked-abort.js';
import type { ModelConfig, RouteConfig, SwitchboardConfig } from '../config/types.js';
import { LocalFailure } from '../providers/local-failure.js';
import type { ChatCompletion, ChatProvider, ChatRequestBody } from '../providers/types.js';
import type { RetryBudget } from '../resilience/retry-budget.js';
import { resolveChain } from './chain.js';
import { costUsd } from './cost.js';
import { AttemptTimeout, DeadlineExceeded, InvalidRequestError, RequestFailedError } from './errors.js';
import type { EventBus } from './events.js';
import type { ResultMetadata } from './metadata.js';
import type { ModelHealth } from './model-health.js';
import { estimatePromptTokens, orderChain } from './order-chain.js';
import { summary } from './outcomes.js';
import { RequestContext } from './request-context.js';
import { findLimitViolation } from './request-limits.js';
import { openStream, type StreamResult } from './stream-session.js';
import { type WalkPlan, walkChain } from './walk.js';

export interface EngineDeps {
  config: SwitchboardConfig;
  providers: ReadonlyMap<string, ChatProvider>;
  health: ModelHealth;
  /** Caps retries and hedges across the instance. */
  budget: RetryBudget;
  bus: EventBus;
  clock: Clock;
  random: Random;
}

export interface RequestOptions {
  /** Pick a route explicitly (wins over the body's `model`). */
  route?: string;
  /** Aborts the request: the in-flight upstream call and every pending wait. */
  signal?: AbortSignalLike;
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

/** Completion tokens assumed when a request sets no `max_tokens`, for cost estimates and tpm. */
const DEFAULT_COMPLETION_TOKENS = 256;

/** A request on its way: its context and the plan of its walk. */
export interface Begun {
  ctx: RequestContext;
  plan: WalkPlan;
  route?: RouteConfig;
}

/**
 * The fallback engine: orders the chain, walks it (retries, Retry-After, breakers, hedges, budget),
 * within the request's deadline. Knows nothing of HTTP servers.
 */
export class Engine {
  constructor(readonly deps: EngineDeps) {}

  /** A non-streaming chat completion through the chain. Throws RequestFailedError / UnknownModelError. */
  async chat(body: ChatRequestBody, options: RequestOptions = {}): Promise<ChatResult> {
    const { ctx, plan } = this.#begin(body, options, false);
    try {
      const { value: completion, target } = await walkChain(
        this.deps,
        ctx,
        plan,
        (t, attempt) => {
          attempt.arm(
            t.model.timeouts.attemptMs,
            () => new AttemptTimeout('attempt', t.model.timeouts.attemptMs),
          );
          return t.provider.complete({
            body,
            upstreamModel: t.model.upstreamModel,
            maxOutputTokens: t.model.maxOutputTokens,
            signal: attempt.signal,
          });
        },
        (lost, loser) => {
          // A hedge that lost but finished anyway was billed: report it apart.
          const wasted = costUsd(lost.usage, loser.model.price);
          ctx.meta.hedgeCostUsd += wasted;
          ctx.meta.wastedCostUsd += wasted;
        },
      );
      const meta = ctx.finish();
      meta.usage = completion.usage;
      meta.costUsd = costUsd(completion.usage, target.model.price);
      this.deps.health.noteTokens(target.model.id, completion.usage?.total_tokens ?? 0);
      this.deps.bus.emit({ type: 'request.succeeded', requestId: meta.requestId, metadata: meta });
      return { completion, metadata: meta };
    } catch (error) {
      throw this.fail(ctx, error);
    }
  }

  /**
   * A streaming chat completion. Resolves once a model has produced its first content (failover is
   * transparent until then); the result iterates the chunks and carries live metadata.
   */
  async stream(body: ChatRequestBody, options: RequestOptions = {}): Promise<StreamResult> {
    const begun = this.#begin(body, options, true);
    try {
      return await openStream(this, begun, body);
    } catch (error) {
      throw this.fail(begun.ctx, error);
    }
  }

  #begin(body: ChatRequestBody, options: RequestOptions, stream: boolean): Begun {
    const { config, health, bus } = this.deps;
    const violation = findLimitViolation(body);
    if (violation)
      throw new InvalidRequestError('request_limit_exceeded', violation.message, violation.param);
    const resolved = resolveChain(config, { model: body.model, models: body.models, route: options.route });
    const route = resolved.route !== undefined ? config.routes[resolved.route] : undefined;
    const promptTokens = estimatePromptTokens(body.messages);
    const maxTokens = typeof body.max_tokens === 'number' ? body.max_tokens : DEFAULT_COMPLETION_TOKENS;
    const chain =
      route && route.strategy !== 'ordered'
        ? orderChain({
            route,
            models: config.models,
            latencyMs: (m) => health.ewmaMs(m, stream),
            promptTokens,
            completionTokens: maxTokens,
            random: this.deps.random,
          })
        : resolved.models;
    const requestId = options.requestId ?? randomUUID();
    const totalMs = options.timeoutMs ?? config.timeouts.totalMs;
    const ctx = new RequestContext(
      this.deps.clock,
      requestId,
      totalMs,
      options.signal,
      chain,
      resolved.route,
      stream,
    );
    this.deps.budget.recordRequest();
    if (bus.hasListeners)
      bus.emit({ type: 'request.started', requestId, route: resolved.route, chain, stream });
    const plan: WalkPlan = {
      chain,
      body,
      fallbackOnContentPolicy: resolved.fallbackOnContentPolicy,
      estimatedTokens: promptTokens + maxTokens,
      ...(route?.hedge ? { hedge: route.hedge } : {}),
    };
    return { ctx, plan, ...(route ? { route } : {}) };
  }

  /** Turns whatever ended a request into a RequestFailedError carrying the metadata, and emits it. */
  fail(ctx: RequestContext, error: unknown): unknown {
    const meta = ctx.finish();
    let failure = error;
    if (!(error instanceof RequestFailedError)) {
      if (ctx.callerAborted)
        failure = new RequestFailedError('cancelled', 'the request was cancelled by the caller', 499, meta);
      else if (error instanceof LocalFailure) {
        failure =
          error.origin === 'request'
            ? new RequestFailedError('invalid_request', error.message, 400, meta)
            : new RequestFailedError('internal_error', error.message, 500, meta);
      } else if (error instanceof DeadlineExceeded) {
        failure = new RequestFailedError(
          'deadline_exceeded',
          `${error.message}; ${summary(meta)}`,
          504,
          meta,
        );
      }
    }
    this.deps.bus.emit({
      type: 'request.failed',
      requestId: meta.requestId,
      code: failure instanceof RequestFailedError ? failure.code : 'internal_error',
      message: failure instanceof Error ? failure.message : String(failure),
      metadata: meta,
    });
    return failure;
  }
}
