/**
 * The resolved, validated configuration. Everything here is plain data, frozen after loading,
 * with units in the names. The YAML file uses snake_case; this shape is camelCase.
 */

export interface RetryPolicy {
  /** Retries on the same model after the first attempt (0 = no retry). */
  maxRetries: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Longest Retry-After the engine will wait on; a longer one puts the model in cooldown instead. */
  maxRetryAfterMs: number;
}

export interface CircuitBreakerPolicy {
  /** Failures inside `windowMs` that open the breaker. */
  failureThreshold: number;
  windowMs: number;
  /** How long an open breaker stays open before admitting one probe. */
  cooldownMs: number;
  /** Upper bound for the cooldown, which doubles after each failed probe. */
  maxCooldownMs: number;
}

/**
 * Active health probes: while a model's breaker is open, the gateway itself sends a one-token
 * synthetic request (`max_tokens: 1`, the word "ping", no user content) every `intervalMs`; a
 * success closes the breaker. With shared state one instance probes per interval for the cluster.
 */
export interface HealthProbePolicy {
  enabled: boolean;
  intervalMs: number;
}

/**
 * Deadlines that learn: once a model has `minSamples` latency samples, its first-token limit
 * (streams; and, with `json`, its attempt limit for non-streaming requests) becomes `multiple` × its
 * observed p99, never below `floorMs` nor above the configured limit.
 */
export interface AdaptiveTimeouts {
  enabled: boolean;
  multiple: number;
  floorMs: number;
  minSamples: number;
  /** Also tighten `attempt_ms` of non-streaming requests (whose length depends on the answer's). */
  json: boolean;
  /** Added per 1,000 prompt tokens of the request: a long prompt takes longer to read (prefill). */
  perThousandPromptTokensMs: number;
}

export interface Timeouts {
  /** TCP/TLS connect. */
  connectMs: number;
  /** Streams: time until response headers. */
  firstByteMs: number;
  /** One attempt; for non-streaming requests this bounds the whole answer. */
  attemptMs: number;
  /** The whole request, across every retry, wait and fallback (a flowing stream is not cut by it). */
  totalMs: number;
  /** Streams: time from the attempt's start to the first content token (not just headers). */
  firstTokenMs: number;
  /** Streams: the longest silence allowed between chunks once content has started. */
  stallMs: number;
}

export interface Price {
  /** USD per 1M prompt tokens. */
  inputUsdPer1M: number;
  /** USD per 1M completion tokens. */
  outputUsdPer1M: number;
  /** USD per 1M prompt tokens read from the provider's prompt cache (default: the input price). */
  cacheReadUsdPer1M?: number;
  /** USD per 1M prompt tokens written to the provider's prompt cache (default: the input price). */
  cacheWriteUsdPer1M?: number;
}

/**
 * The wire an upstream speaks: `openai` (chat completions; every preset but two), `anthropic`
 * (Messages API), `gemini` (Gemini API's generateContent).
 */
export type ProviderType = 'openai' | 'anthropic' | 'gemini';

export interface ProviderConfig {
  id: string;
  type: ProviderType;
  /**
   * What the vendor's own SDK takes as its base. `openai`: e.g. https://api.deepseek.com/v1, requests
   * go to `${baseUrl}/chat/completions`; `anthropic`: `${baseUrl}/v1/messages`; `gemini`:
   * `${baseUrl}/v1beta/models/{model}:generateContent`.
   */
  baseUrl: string;
  /** Secret: never logged, never returned. Undefined for keyless upstreams (ollama, vllm, the simulator). */
  apiKey?: string;
  /** Extra headers sent upstream (e.g. OpenRouter's HTTP-Referer). */
  headers: Readonly<Record<string, string>>;
  /** The preset this provider was filled from, if any. */
  preset?: string;
  /** Pool size: concurrent keep-alive connections to this provider. */
  maxConnections: number;
}

export interface ModelConfig {
  /** The name clients use. */
  id: string;
  provider: string;
  /** The name sent upstream; defaults to `id`. */
  upstreamModel: string;
  price?: Price;
  contextWindow?: number;
  /** The most completion tokens the model may produce; Anthropic requests without `max_tokens` ask for this. */
  maxOutputTokens?: number;
  /** Chain used when a request names this model directly (after the model itself). */
  fallbacks: readonly string[];
  /** Global policies merged with this model's overrides. */
  retry: RetryPolicy;
  circuitBreaker: CircuitBreakerPolicy;
  timeouts: Timeouts;
  /** Requests per minute this model accepts; at the limit it is skipped like a cooling-down model. */
  rpm?: number;
  /** Tokens per minute (prompt + completion) this model accepts; at the limit it is skipped. */
  tpm?: number;
  /** Does the upstream continue a trailing assistant message (prefill)? Default true; a 400 on one teaches false. */
  assistantPrefill: boolean;
  /** Set for embedding models (served on `/v1/embeddings` only); absent for chat models. */
  embedding?: EmbeddingSpec;
  /** Set when the file has a `health_probe` section (global or the model's); absent: `DEFAULTS.healthProbe`. */
  healthProbe?: HealthProbePolicy;
  /** Set when the file has an `adaptive_timeouts` section; absent: `DEFAULTS.adaptiveTimeouts`. */
  adaptiveTimeouts?: AdaptiveTimeouts;
}

/**
 * What an embedding model produces. Vectors of two spaces cannot be mixed in one index, so an
 * embeddings chain only falls back between models of one space (the same model on another provider
 * or region), which config loading enforces.
 */
export interface EmbeddingSpec {
  /** A name for the vector space, e.g. `openai-text-embedding-3-small`: equal names, interchangeable vectors. */
  space: string;
  /** The length of the model's vectors (before any `dimensions` shortening a request asks for). */
  dimensions: number;
}

/**
 * How a route orders its chain for each request:
 * - `ordered`: as written;
 * - `fastest`: by observed time to first token (latency for non-streams), exploring a little;
 * - `cheapest`: by estimated cost of this request;
 * - `weighted`: spread by weight across equivalent deployments.
 */
export type RouteStrategy = 'ordered' | 'fastest' | 'cheapest' | 'weighted';

/** Start the next model in parallel when the current one has not produced its first token in time. */
export interface HedgePolicy {
  /** Fixed delay before hedging. With `afterPercentile`, the delay used until enough samples exist. */
  afterMs?: number;
  /** Hedge after this percentile (e.g. 95) of the model's observed time to first token. */
  afterPercentile?: number;
}

export interface RouteConfig {
  id: string;
  /** The chain, in order. */
  models: readonly string[];
  /** One weight per model (same order), for `weighted`; default 1 each. */
  weights: readonly number[];
  strategy: RouteStrategy;
  hedge?: HedgePolicy;
  /** When a stream breaks after content reached the caller: `continue` on the next model, or end with an `error`. */
  streamRecovery: 'continue' | 'error';
  /** Fall back when a provider refuses on content policy (default false: return the refusal). */
  fallbackOnContentPolicy: boolean;
  /**
   * Wait out a Retry-After up to this long on an earlier model rather than fall to a later one; set
   * when the file says so, else `DEFAULTS.route.waitForPreferredMs` for ordered routes and 0 for others.
   */
  waitForPreferredMs?: number;
}

/** Retries and hedges, process-wide, are capped at `ratio` × requests over a sliding window. */
export interface RetryBudgetConfig {
  ratio: number;
  /** Retries always allowed per window, so low traffic can still retry. */
  minRetriesPerWindow: number;
  windowMs: number;
}

export interface ServerConfig {
  host: string;
  port: number;
  /** Bearer keys clients must present; empty = no auth. Secret. */
  apiKeys: readonly string[];
  maxBodyBytes: number;
}

export interface LoggingConfig {
  level: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
}

/** The usage ledger: one row per request, breaker change and rate-limit cooldown, in a SQLite file. */
export interface LedgerConfig {
  /** The SQLite file, relative to the working directory. */
  path: string;
  /** Rows older than this are pruned in the background. */
  retentionDays: number;
  /** Prompts and completions are never stored: only `false` is accepted for now. */
  storeContent: false;
}

/**
 * Where the instances of a cluster share breakers, cooldowns and counters: `memory` keeps them in
 * this process (the default); `redis` shares them through a Redis server, under keys starting with
 * `prefix:`.
 */
export type StateConfig = { store: 'memory' } | { store: 'redis'; url: string; prefix: string };

/**
 * OpenTelemetry traces as the file states them (`telemetry.otlp`); what the file leaves out comes
 * from the `OTEL_*` environment variables when the gateway starts (telemetry/tracing/settings.ts).
 */
export interface OtlpConfig {
  /** The collector's base URL (`/v1/traces` is appended unless the path already ends with it). Secret. */
  endpoint?: string;
  protocol?: 'http/protobuf' | 'http/json';
  /** Sent to the collector with every export (often an API key). Secret. */
  headers?: Readonly<Record<string, string>>;
  /** Fraction of new traces recorded (0..1); a caller's sampled flag is followed. */
  sampleRatio?: number;
  /** Which providers get `traceparent`/`tracestate`: all, none, these, or (absent) the OpenAI-compatible ones. */
  propagate?: boolean | readonly string[];
  /** Prompts and completions are never put in spans: only `false` is accepted for now. */
  includeContent: false;
  serviceName?: string;
}

export interface SwitchboardConfig {
  providers: Readonly<Record<string, ProviderConfig>>;
  models: Readonly<Record<string, ModelConfig>>;
  routes: Readonly<Record<string, RouteConfig>>;
  defaultRoute?: string;
  retry: RetryPolicy;
  circuitBreaker: CircuitBreakerPolicy;
  timeouts: Timeouts;
  retryBudget: RetryBudgetConfig;
  server: ServerConfig;
  logging: LoggingConfig;
  /** `off` when the file says `ledger: off`; undefined when it has no `ledger` key. */
  ledger?: LedgerConfig | 'off';
  /** Shared state between instances: `{ store: 'memory' }` (also when absent) unless the file says otherwise. */
  state?: StateConfig;
  /** Absent unless the file has `telemetry.otlp`. */
  telemetry?: { otlp?: OtlpConfig };
}

/** One problem found while loading a config, named by its path in the file. */
export interface ConfigIssue {
  /** e.g. `routes.quality[2]` */
  path: string;
  message: string;
}
