import { type Clock, type Random, systemClock, systemRandom } from './common/clock.js';
import { loadConfigFile, parseConfig } from './config/index.js';
import type { SwitchboardConfig } from './config/types.js';
import { createLedgerRecorder, type LedgerRecorder, ledgerSettings } from './ledger/index.js';
import { createProvider } from './providers/create-provider.js';
import type { EmbeddingRequestBody } from './providers/embedding-types.js';
import type { ChatProvider, ChatRequestBody } from './providers/types.js';
import { RetryBudget } from './resilience/retry-budget.js';
import type { EmbedResult, SharedState, StreamResult } from './routing/index.js';
import {
  type ChatResult,
  Engine,
  EventBus,
  HealthProber,
  type Listener,
  ModelHealth,
  type RequestOptions,
} from './routing/index.js';
import { apiEndpoints } from './server/endpoints/api-endpoints.js';
import { createFetchFace, type FetchFunction } from './server/fetch/fetch-face.js';
import { createFrontDoor } from './server/front-door.js';
import { createSharedState, type StoreHealthChange } from './state/index.js';
import { attachLogger, createLogger, type Logger } from './telemetry/logger.js';
import { createTracing, type Tracing } from './telemetry/tracing/index.js';

export interface SwitchboardOptions {
  /** Environment for `${VAR}` interpolation (default `process.env`). */
  env?: Record<string, string | undefined>;
  /** Inject time (tests). */
  clock?: Clock;
  /** Inject chance (tests): used for backoff jitter. */
  random?: Random;
  /**
   * Where event logs go: a pino logger, `false` for none. Default: JSON lines on stdout at the
   * config's `logging.level`.
   */
  logger?: Logger | false;
  /** Use these adapters instead of building OpenAI-compatible ones (e.g. a future native adapter). */
  providers?: ReadonlyMap<string, ChatProvider>;
  /**
   * The ledger file to use when the config has no `ledger` key (`switchboard serve` passes
   * ./switchboard.db). Default: none, so a library or test records nothing unless its config says so.
   */
  defaultLedgerPath?: string;
  /**
   * Running as a `switchboard serve --workers` worker: without Redis in the config, breakers,
   * cooldowns and counters are shared with the other workers through the primary process.
   */
  clusterWorker?: boolean;
}

export interface Switchboard {
  readonly config: SwitchboardConfig;
  /** Every engine event; `on` returns an unsubscribe function. */
  readonly events: { on(listener: Listener): () => void };
  /** One chat completion through the fallback chain. */
  chat(request: ChatRequestBody, options?: RequestOptions): Promise<ChatResult>;
  /** A streaming completion: iterate the result for chunks; its `metadata` completes at the end. */
  stream(request: ChatRequestBody, options?: RequestOptions): Promise<StreamResult>;
  /** Embeddings through the fallback chain (embedding models of one space): `result.embedding.vectors`. */
  embed(request: EmbeddingRequestBody, options?: RequestOptions): Promise<EmbedResult>;
  /** A fetch function speaking the OpenAI wire in-process: `new OpenAI({ fetch: sb.fetch })`. */
  readonly fetch: FetchFunction;
  /** The per-model health the engine acts on. */
  readonly health: ModelHealth;
  /** The usage ledger recording every request, when configured: `flush()`, `query()`. */
  readonly ledger: LedgerRecorder | undefined;
  /** Where breakers, cooldowns and counters are shared with other instances (`status()`). */
  readonly sharedState: SharedState;
  /** The retry budget (shared with other instances when the state is). */
  readonly retryBudget: RetryBudget;
  /** Where event logs and internal errors go (`false`: nowhere). */
  readonly logger: Logger | false;
  /** OpenTelemetry tracing, when `telemetry.otlp` (or `OTEL_TRACES_EXPORTER=otlp`) turns it on. */
  readonly tracing: Tracing | undefined;
  /** Closes the upstream connection pools, and writes and closes the ledger. */
  close(): Promise<void>;
}

/**
 * Builds a Switchboard from a config file path, or from a YAML-shaped (snake_case) config object.
 * Two instances share nothing: each has its own breakers, cooldowns and pools.
 */
export function createSwitchboard(
  configOrPath: string | object,
  options: SwitchboardOptions = {},
): Switchboard {
  const env = options.env ?? process.env;
  const config =
    typeof configOrPath === 'string'
      ? loadConfigFile(configOrPath, { env })
      : parseConfig(configOrPath, { env });
  return createSwitchboardFromConfig(config, options);
}

/**
 * Builds a Switchboard from an already loaded (resolved, frozen) config, e.g. one `switchboard drill`
 * derived from the user's file with every provider pointed at a simulator. `options.env` is read only
 * for the standard `OTEL_*` variables.
 */
export function createSwitchboardFromConfig(
  config: SwitchboardConfig,
  options: SwitchboardOptions = {},
): Switchboard {
  const clock = options.clock ?? systemClock;
  const tracing = createTracing(config, options.env ?? process.env);
  const logger =
    options.logger === undefined
      ? createLogger(config.logging.level, undefined, tracing?.logMixin)
      : options.logger;
  const bus = new EventBus();
  const { state: sharedState, shared } = createSharedState(config, {
    clock,
    clusterWorker: options.clusterWorker,
    onHealth: (change) => (logger ? logStoreHealth(logger, change) : undefined),
  });
  const health = new ModelHealth(config, clock, bus, shared ? sharedState : undefined);
  const providers = options.providers ?? buildProviders(config);
  const budget = new RetryBudget(config.retryBudget, clock, shared ? sharedState : undefined);
  const engine = new Engine({
    config,
    providers,
    health,
    budget,
    bus,
    clock,
    random: options.random ?? systemRandom,
    ...(tracing ? { traceHeaders: tracing.traceHeaders } : {}),
  });
  // Before the logger: a request's span exists when its first line is written.
  const detachTracing = tracing ? tracing.attach(bus) : () => {};
  // Active health probes while a breaker is open (health_probe); stopped by close().
  const prober = new HealthProber({
    config,
    providers,
    health,
    bus,
    clock,
    ...(shared ? { shared: sharedState } : {}),
  });
  const detachLogger = logger ? attachLogger(bus, logger) : () => {};
  const ledgerConfig = ledgerSettings(config.ledger, options.defaultLedgerPath);
  const ledger = ledgerConfig && createLedgerRecorder(ledgerConfig, { clock, logger });
  const detachLedger = ledger ? ledger.attach(bus) : () => {};
  const endpoints = apiEndpoints({ config, service: engine, createdS: Math.floor(clock.now() / 1000) });
  const onUnexpected = (error: unknown, request: { method: string; path: string }) =>
    logUnexpected(logger, error, request);
  const fetch = createFetchFace(createFrontDoor(endpoints, { apiKeys: config.server.apiKeys, onUnexpected }));

  return {
    config,
    logger,
    events: { on: (listener) => bus.on(listener) },
    chat: (request, opts) => engine.chat(request, opts),
    stream: (request, opts) => engine.stream(request, opts),
    embed: (request, opts) => engine.embed(request, opts),
    fetch,
    health,
    ledger,
    sharedState,
    retryBudget: budget,
    tracing,
    async close() {
      detachTracing();
      prober.close();
      detachLogger();
      detachLedger();
      health.close();
      await Promise.all([...providers.values()].map((p) => p.close()));
      await ledger?.close();
      await sharedState.close();
      await tracing?.close();
    },
  };
}

/**
 * A bug the caller saw as a bare 500: logged with its stack (which holds code, never request content
 * or keys), since the answer says it was.
 */
export function logUnexpected(
  logger: Logger | false,
  error: unknown,
  request: { method: string; path: string },
): void {
  if (!logger) return;
  const err =
    error instanceof Error ? { name: error.name, message: error.message, stack: error.stack } : String(error);
  logger.error(
    { type: 'gateway.internal_error', method: request.method, path: request.path, err },
    'internal error',
  );
}

/** One line when the shared state store goes away, one when it is back: never one per request. */
function logStoreHealth(logger: Logger, change: StoreHealthChange): void {
  if (change.type === 'degraded') {
    logger.warn(
      { type: 'state.degraded', store: change.store, reason: change.reason },
      `shared state (${change.store}) unreachable: serving with this instance's own state until it is back`,
    );
  } else {
    logger.info(
      { type: 'state.recovered', store: change.store, degradedForMs: Math.round(change.degradedForMs) },
      `shared state (${change.store}) reachable again: resynchronised`,
    );
  }
}

function buildProviders(config: SwitchboardConfig): Map<string, ChatProvider> {
  const providers = new Map<string, ChatProvider>();
  for (const p of Object.values(config.providers)) {
    providers.set(p.id, createProvider({ ...p, connectTimeoutMs: config.timeouts.connectMs }));
  }
  return providers;
}
