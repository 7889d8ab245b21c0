import { randomUUID } from 'node:crypto';
import type { ModelConfig } from '../../config/types.js';
import type { EmbeddingRequestBody, EmbeddingResult } from '../../providers/embedding-types.js';
import type { Usage } from '../../providers/types.js';
import { UpstreamError } from '../../providers/upstream-error.js';
import { orderChain } from '../chain/order-chain.js';
import { resolveChain } from '../chain/resolve-chain.js';
import { costUsd } from '../cost.js';
import { AttemptTimeout, InvalidRequestError } from '../errors.js';
import type { ResultMetadata } from '../metadata.js';
import type { EngineDeps, RequestOptions, WalkPlan } from '../types.js';
import { RequestContext } from '../walk/request-context.js';
import { walkChain } from '../walk/walk.js';
import { estimateInputTokens, normaliseInputs } from './embedding-inputs.js';
import { assertEmbeddingChain } from './model-kind.js';

export interface EmbedResult {
  /** One vector per input, in order; the usage; the upstream's model name. */
  embedding: EmbeddingResult;
  metadata: ResultMetadata;
}

/**
 * One embeddings request through the same walk as a chat completion (retries, Retry-After
 * cooldowns, breakers, deadlines, hedges, the retry budget, events, metadata). Only embedding models
 * of one space are walked; the cost is the prompt tokens at the model's `price.input`.
 * `fail` turns whatever ended the request into what the caller sees (the engine's own).
 */
export async function embedThroughChain(
  deps: EngineDeps,
  body: EmbeddingRequestBody,
  options: RequestOptions,
  fail: (ctx: RequestContext, error: unknown) => unknown,
): Promise<EmbedResult> {
  const { config, health, bus } = deps;
  const inputs = normaliseInputs(body?.input);
  const dimensions = body.dimensions;
  if (dimensions !== undefined && !(Number.isInteger(dimensions) && dimensions > 0))
    throw new InvalidRequestError('invalid_request', 'dimensions: must be a positive integer', 'dimensions');
  const resolved = resolveChain(config, { model: body.model, route: options.route });
  assertEmbeddingChain(config, resolved.models, dimensions);
  const route = resolved.route !== undefined ? config.routes[resolved.route] : undefined;
  const promptTokens = estimateInputTokens(inputs);
  const chain =
    route && route.strategy !== 'ordered'
      ? orderChain({
          route,
          models: config.models,
          latencyMs: (m) => health.ewmaMs(m, false),
          promptTokens,
          completionTokens: 0,
          random: deps.random,
        })
      : resolved.models;
  const requestId = options.requestId ?? randomUUID();
  const ctx = new RequestContext({
    clock: deps.clock,
    requestId,
    totalMs: options.timeoutMs ?? config.timeouts.totalMs,
    callerSignal: options.signal,
    chain,
    route: resolved.route,
    stream: false,
  });
  ctx.meta.operation = 'embeddings';
  deps.budget.recordRequest();
  if (bus.hasListeners)
    bus.emit({
      type: 'request.started',
      requestId,
      route: resolved.route,
      chain,
      stream: false,
      requestedModel: typeof body.model === 'string' ? body.model : undefined,
      operation: 'embeddings',
      trace: options.trace,
    });
  const request = (m: ModelConfig) => ({
    inputs,
    upstreamModel: m.upstreamModel,
    ...(dimensions !== undefined ? { dimensions } : {}),
    ...(body.user !== undefined ? { user: body.user } : {}),
  });
  const plan: WalkPlan = {
    chain,
    unsupported: (m) => {
      const provider = deps.providers.get(m.provider);
      if (!provider?.embed) return `provider "${m.provider}" of "${m.id}" serves no embeddings`;
      return provider.embedUnsupported?.(request(m));
    },
    fallbackOnContentPolicy: resolved.fallbackOnContentPolicy,
    estimatedTokens: promptTokens,
    ...(route?.hedge ? { hedge: route.hedge } : {}),
  };
  try {
    const { value, target } = await walkChain(
      deps,
      ctx,
      plan,
      async (t, attempt) => {
        attempt.arm(
          t.model.timeouts.attemptMs,
          () => new AttemptTimeout('attempt', t.model.timeouts.attemptMs),
        );
        const result = await (t.provider.embed as NonNullable<typeof t.provider.embed>)({
          ...request(t.model),
          signal: attempt.signal,
        });
        checkLengths(result, dimensions ?? t.model.embedding?.dimensions);
        return result;
      },
      (lost, loser) => {
        // A hedge that lost but finished anyway was billed: report it apart.
        const wasted = costUsd(asUsage(lost), loser.model.price);
        ctx.meta.hedgeCostUsd += wasted;
        ctx.meta.wastedCostUsd += wasted;
      },
    );
    const meta = ctx.finish();
    meta.usage = asUsage(value);
    meta.costUsd = costUsd(meta.usage, target.model.price);
    health.noteTokens(target.model.id, value.usage.total_tokens);
    bus.emit({ type: 'request.succeeded', requestId, metadata: meta });
    return { embedding: value, metadata: meta };
  } catch (error) {
    throw fail(ctx, error);
  }
}

/**
 * Every vector must have the length the space declares (or the `dimensions` asked for): a vector of
 * another length is a wrong answer (a misconfigured model name upstream), never passed on.
 */
function checkLengths(result: EmbeddingResult, expected: number | undefined): void {
  if (expected === undefined) return;
  const wrong = result.vectors.find((v) => v.length !== expected);
  if (wrong) {
    throw new UpstreamError({
      kind: 'transient',
      code: 'bad_response',
      status: 200,
      providerMessage: `a vector of ${wrong.length} dimensions where ${expected} were expected`,
    });
  }
}

function asUsage(result: EmbeddingResult): Usage {
  return {
    prompt_tokens: result.usage.prompt_tokens,
    completion_tokens: 0,
    total_tokens: result.usage.total_tokens,
  };
}
