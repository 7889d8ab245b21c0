import { randomUUID } from 'node:crypto';
import type { EmbeddingRequestBody } from '../providers/embedding-types.js';
import type { ChatRequestBody } from '../providers/types.js';
import { estimatePromptTokens, orderChain } from './chain/order-chain.js';
import { resolveChain } from './chain/resolve-chain.js';
import { costUsd } from './cost.js';
import { type EmbedResult, embedThroughChain } from './embed/embed.js';
import { assertChatChain } from './embed/model-kind.js';
import { AttemptTimeout, InvalidRequestError, RequestFailedError } from './errors.js';
import { toRequestFailure } from './failures.js';
import { waitForPreferredMsOf } from './health/recovery-policy.js';
import { findLimitViolation } from './request-limits.js';
import { openStream, type StreamResult } from './stream/session.js';
import type { Begun, ChatResult, EngineDeps, RequestOptions, WalkPlan } from './types.js';
import { RequestContext } from './walk/request-context.js';
import { walkChain } from './walk/walk.js';

/** Completion tokens assumed when a request sets no `max_tokens`, for cost estimates and tpm. */
const DEFAULT_COMPLETION_TOKENS = 256;

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
          const limitMs = this.deps.health.attemptLimitMs(t.model, plan.promptTokens); // configured, or learnt (adaptive_timeouts.json)
          attempt.arm(limitMs, () => new AttemptTimeout('attempt', limitMs));
          return t.provider.complete({
            body,
            upstreamModel: t.model.upstreamModel,
            maxOutputTokens: t.model.maxOutputTokens,
            signal: attempt.signal,
            headers: this.deps.traceHeaders?.(ctx.requestId, t.model.id),
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
      return await openStream(this.deps, begun, body);
    } catch (error) {
      throw this.fail(begun.ctx, error);
    }
  }

  /** Embeddings through the chain (embedding models of one space only). Throws like `chat`. */
  embed(body: EmbeddingRequestBody, options: RequestOptions = {}): Promise<EmbedResult> {
    return embedThroughChain(this.deps, body, options, (ctx, error) => this.fail(ctx, error));
  }

  #begin(body: ChatRequestBody, options: RequestOptions, stream: boolean): Begun {
    const { config, health, bus } = this.deps;
    const violation = findLimitViolation(body);
    if (violation)
      throw new InvalidRequestError('request_limit_exceeded', violation.message, violation.param);
    const resolved = resolveChain(config, { model: body.model, models: body.models, route: options.route });
    assertChatChain(config, resolved.models);
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
    const ctx = new RequestContext({
      clock: this.deps.clock,
      requestId,
      totalMs,
      callerSignal: options.signal,
      chain,
      route: resolved.route,
      stream,
      traceHeaders: this.deps.traceHeaders,
    });
    this.deps.budget.recordRequest();
    if (bus.hasListeners)
      bus.emit({
        type: 'request.started',
        requestId,
        route: resolved.route,
        chain,
        stream,
        requestedModel: body.model,
        operation: options.operation,
        trace: options.trace,
      });
    const plan: WalkPlan = {
      chain,
      body,
      fallbackOnContentPolicy: resolved.fallbackOnContentPolicy,
      estimatedTokens: promptTokens + maxTokens,
      promptTokens,
      waitForPreferredMs: waitForPreferredMsOf(route),
      ...(route?.hedge ? { hedge: route.hedge } : {}),
    };
    return { ctx, plan, ...(route ? { route } : {}) };
  }

  /** Turns whatever ended a request into what the caller sees (failures.ts), and emits it. */
  fail(ctx: RequestContext, error: unknown): unknown {
    const meta = ctx.finish();
    const failure = toRequestFailure(ctx, meta, error);
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
