import type { Clock, Random } from '../common/clock.js';
import type { AbortSignalLike } from '../common/linked-abort.js';
import type { HedgePolicy, ModelConfig, RouteConfig, SwitchboardConfig } from '../config/types.js';
import type { ChatCompletion, ChatProvider, ChatRequestBody } from '../providers/types.js';
import type { RetryBudget } from '../resilience/retry-budget.js';
import type { EventBus } from './events.js';
import type { ModelHealth } from './health/model-health.js';
import type { ResultMetadata } from './metadata.js';
import type { Operation, TraceHeaders, TraceParent } from './trace-context.js';
import type { RequestContext } from './walk/request-context.js';

/** The types the engine's parts share; they live here so that no part imports the engine back. */

export interface EngineDeps {
  config: SwitchboardConfig;
  providers: ReadonlyMap<string, ChatProvider>;
  health: ModelHealth;
  /** Caps retries and hedges across the instance. */
  budget: RetryBudget;
  bus: EventBus;
  clock: Clock;
  random: Random;
  /**
   * Trace context headers for an attempt's upstream call (`traceparent`, `tracestate`), asked for
   * right after its `attempt.started` event; undefined (tracing off) costs nothing.
   */
  traceHeaders?: TraceHeaders;
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
  /** The caller's `traceparent`/`tracestate` (copied onto `request.started`). */
  trace?: TraceParent;
  /** The API operation, for traces (default `chat`). */
  operation?: Operation;
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

/** What a walk goes through, and the rules it walks by. */
export interface WalkPlan {
  chain: readonly string[];
  /** The caller's chat body: models whose wire cannot honour one of its fields are skipped. */
  body?: ChatRequestBody;
  /** Replaces the chat check above for other operations (embeddings): why `model` cannot take the request. */
  unsupported?: (model: ModelConfig) => string | undefined;
  fallbackOnContentPolicy: boolean;
  /** Recovery walks: a client error (such as a rejected prefill) falls back instead of ending the request. */
  fallbackOnClientError?: boolean;
  hedge?: HedgePolicy;
  /** This request's estimated tokens, checked against tpm limits. */
  estimatedTokens: number;
  /** The prompt's estimated tokens: models whose known context window is smaller are skipped unsent. */
  promptTokens?: number;
  /** The longest Retry-After waited out on an earlier model rather than fall to a later one (0: none). */
  waitForPreferredMs?: number;
}

/** A request on its way: its context and the plan of its walk. */
export interface Begun {
  ctx: RequestContext;
  plan: WalkPlan;
  route?: RouteConfig;
}
