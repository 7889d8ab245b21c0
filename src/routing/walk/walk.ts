import type { HedgePolicy, ModelConfig } from '../../config/types.js';
import type { UpstreamError } from '../../providers/upstream-error.js';
import { parseRetryAfterMs } from '../../resilience/retry-after.js';
import { allFailed, clientFailure } from '../failures.js';
import { parseContextLimit } from '../health/context-limit.js';
import type { SkipReason } from '../metadata.js';
import type { EngineDeps, Target, WalkPlan } from '../types.js';
import {
  type AttemptOptions,
  type AttemptOutcome,
  type AttemptRunner,
  runAttempt,
  type WalkScope,
} from './attempt.js';
import { decideAfterFailure } from './decide.js';
import { checkAlive } from './guards.js';
import { type HedgeCandidate, raceWithHedge } from './hedge.js';
import type { RequestContext } from './request-context.js';

/**
 * Walks the chain. Each model gets attempts while its breaker, cooldown and rate limits allow, with
 * retries per its policy (and the retry budget); then the next model. A slow attempt may be hedged
 * with the next available model. If every model was skipped without a single attempt, the one that
 * recovers soonest is tried anyway rather than failing without trying.
 */
export async function walkChain<T>(
  deps: EngineDeps,
  ctx: RequestContext,
  plan: WalkPlan,
  run: AttemptRunner<T>,
  discard: (value: T, target: Target) => void = () => {},
): Promise<{ value: T; target: Target }> {
  const { config, health, clock, bus } = deps;
  const scope: WalkScope<T> = { deps, ctx, run };
  const { chain } = plan;
  let contextLimit: number | undefined;
  let lastError: UpstreamError | undefined;
  let previous: { model: string; reason: string } | undefined;
  const tried = new Set<string>();
  const modelOf = (id: string) => config.models[id] as ModelConfig;
  /**
   * May the prompt fit `m`? A model whose window is unknown is tried (its error teaches the window);
   * one whose known window (learnt, configured or built in) is not above what an earlier model
   * rejected, or is below the prompt's estimate, is skipped without being sent.
   */
  const fits = (m: ModelConfig) => {
    const windowTokens = health.contextWindow(m.id);
    if (windowTokens === undefined) return true;
    if (contextLimit !== undefined && windowTokens <= contextLimit) return false;
    return plan.promptTokens === undefined || windowTokens >= plan.promptTokens;
  };

  const unsupported =
    plan.unsupported ??
    ((m: ModelConfig) =>
      plan.body &&
      deps.providers.get(m.provider)?.unsupported?.({
        body: plan.body,
        upstreamModel: m.upstreamModel,
        maxOutputTokens: m.maxOutputTokens,
      }));
  const skip = (model: string, reason: SkipReason, untilMs?: number, detail?: string) => {
    if (ctx.meta.skipped.some((s) => s.model === model)) return;
    ctx.meta.skipped.push({
      model,
      reason,
      ...(untilMs !== undefined ? { untilMs } : {}),
      ...(detail !== undefined ? { detail } : {}),
    });
    if (bus.hasListeners)
      bus.emit({ type: 'model.skipped', requestId: ctx.requestId, model, reason, untilMs });
  };
  const fallback = (to: string) => {
    if (!previous) return;
    ctx.meta.fallbacks++;
    const fromProvider = config.models[previous.model]?.provider ?? '';
    const toProvider = config.models[to]?.provider ?? '';
    bus.emit({
      type: 'fallback',
      requestId: ctx.requestId,
      from: previous.model,
      to,
      fromProvider,
      toProvider,
      sameProvider: fromProvider === toProvider,
      reason: previous.reason,
    });
  };
  /** The next model after `i` that can take a hedge now, with its permit; consumes retry budget. */
  const pickHedge = (i: number): HedgeCandidate | undefined => {
    for (let j = i + 1; j < chain.length; j++) {
      const model = modelOf(chain[j] as string);
      if (
        tried.has(model.id) ||
        !fits(model) ||
        unsupported(model) !== undefined ||
        !health.isAvailable(model.id, plan.estimatedTokens)
      )
        continue;
      if (!deps.budget.tryAcquire()) {
        bus.emit({ type: 'retry.budget_exhausted', requestId: ctx.requestId, model: model.id });
        return undefined;
      }
      const gate = health.acquire(model.id, plan.estimatedTokens);
      if (gate.permit) {
        tried.add(model.id);
        return { model, permit: gate.permit };
      }
    }
    return undefined;
  };
  /** The attempt on the `i`-th model of the chain, hedged when the route says so. */
  const attempt = (i: number, options: AttemptOptions): Promise<AttemptOutcome<T>> => {
    const model = options.model;
    const delayMs = plan.hedge ? hedgeDelayMs(deps, ctx, model.id, plan.hedge) : undefined;
    if (delayMs === undefined) return runAttempt(scope, options);
    return raceWithHedge(scope, { primary: options, delayMs, pickHedge: () => pickHedge(i), discard });
  };

  for (let i = 0; i < chain.length; i++) {
    const model = modelOf(chain[i] as string);
    if (tried.has(model.id)) continue;
    if (!fits(model)) {
      const windowTokens = health.contextWindow(model.id) ?? 0;
      // Too small for the prompt before anything was sent: say so (after a rejection, the reason is plain).
      const beforeSending = contextLimit === undefined || windowTokens > contextLimit;
      const detail = beforeSending
        ? `window ${windowTokens} tokens < prompt ~${plan.promptTokens}`
        : undefined;
      skip(model.id, 'context_window', undefined, detail);
      continue;
    }
    const problem = unsupported(model);
    if (problem !== undefined) {
      tried.add(model.id);
      skip(model.id, 'unsupported', undefined, problem);
      continue;
    }
    tried.add(model.id);
    let waitBeforeMs = 0;
    for (let retry = 0; ; retry++) {
      checkAlive(ctx);
      const gate = health.acquire(model.id, plan.estimatedTokens);
      if (!gate.permit) {
        skip(model.id, gate.reason, gate.untilMs);
        break;
      }
      if (retry === 0) fallback(model.id);
      const outcome: AttemptOutcome<T> = await attempt(i, {
        model,
        permit: gate.permit,
        retry,
        waitBeforeMs,
      });
      if (outcome.ok) return { value: outcome.value, target: outcome.target };
      if ('local' in outcome) throw outcome.local; // not the model's failure: no retry, no fallback
      if (!outcome.error) break; // withdrawn: nothing learned about this model
      const error = outcome.error;
      lastError = error;
      const now = clock.now();
      const retryAfterMs = error.headers ? parseRetryAfterMs(error.headers, now) : undefined;
      if (retryAfterMs !== undefined && (error.kind === 'rate_limited' || error.kind === 'transient')) {
        if (health.coolDown(model.id, now + retryAfterMs)) {
          bus.emit({
            type: 'model.cooling_down',
            requestId: ctx.requestId,
            model: model.id,
            untilMs: now + retryAfterMs,
            retryAfterMs,
          });
        }
      }
      if (error.kind === 'context_length') {
        // The upstream's own numbers, when its message has them: remembered for the model.
        const said = parseContextLimit(error.providerMessage);
        if (said) health.learnContextWindow(model.id, said.windowTokens);
        const needs = said?.promptTokens === undefined ? 0 : said.promptTokens - 1;
        contextLimit = Math.max(contextLimit ?? 0, health.contextWindow(model.id) ?? 0, needs);
      }
      let decision = decideAfterFailure({
        error,
        retry,
        policy: model.retry,
        nowMs: now,
        deadlineMs: ctx.deadlineMs,
        retryAfterMs,
        breakerOpen: health.breaker(model.id).state === 'open',
        otherModelAvailable: chain
          .slice(i + 1)
          .some(
            (id) =>
              !tried.has(id) &&
              fits(modelOf(id)) &&
              unsupported(modelOf(id)) === undefined &&
              health.isAvailable(id, plan.estimatedTokens),
          ),
        fallbackOnContentPolicy: plan.fallbackOnContentPolicy,
        waitForPreferredMs: plan.waitForPreferredMs ?? 0,
        random: deps.random,
      });
      if (decision.action === 'fail' && plan.fallbackOnClientError && error.kind === 'client') {
        decision = {
          action: 'fallback',
          reason: `client error ${error.status ?? ''} during recovery`.trim(),
        };
      }
      if (decision.action === 'fail') throw clientFailure(ctx, error);
      if (decision.action === 'retry' && !deps.budget.tryAcquire()) {
        bus.emit({ type: 'retry.budget_exhausted', requestId: ctx.requestId, model: model.id });
        decision = { action: 'fallback', reason: `${decision.reason}; retry budget exhausted` };
      }
      if (decision.action === 'fallback') {
        previous = { model: model.id, reason: decision.reason };
        break;
      }
      bus.emit({
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
        checkAlive(ctx);
      }
    }
  }

  const allUnavailable = ctx.meta.attempts.length === 0;
  if (allUnavailable) {
    const soonest = soonestRecovery(ctx);
    if (soonest) {
      fallback(soonest);
      const outcome = await runAttempt(scope, {
        model: modelOf(soonest),
        permit: 'probe',
        retry: 0,
        waitBeforeMs: 0,
        forced: true,
      });
      if (outcome.ok) return { value: outcome.value, target: outcome.target };
      if ('local' in outcome) throw outcome.local;
      if (outcome.error) {
        lastError = outcome.error;
        if (!lastError.fallback && !(plan.fallbackOnClientError && lastError.kind === 'client')) {
          throw clientFailure(ctx, lastError);
        }
      }
    }
  }
  throw allFailed(deps, ctx, lastError, allUnavailable);
}

/** When to hedge an attempt on `model`: a fixed delay, or a percentile of its observed latency. */
function hedgeDelayMs(
  deps: EngineDeps,
  ctx: RequestContext,
  model: string,
  hedge: HedgePolicy,
): number | undefined {
  if (hedge.afterPercentile !== undefined) {
    const observed = deps.health.percentileMs(model, ctx.stream, hedge.afterPercentile);
    if (observed !== undefined) return observed;
  }
  return hedge.afterMs;
}

function soonestRecovery(ctx: RequestContext): string | undefined {
  let best: { model: string; untilMs: number } | undefined;
  for (const skip of ctx.meta.skipped) {
    if (skip.reason === 'context_window' || skip.reason === 'unsupported') continue;
    const untilMs = skip.untilMs ?? 0;
    if (!best || untilMs < best.untilMs) best = { model: skip.model, untilMs };
  }
  return best?.model;
}
