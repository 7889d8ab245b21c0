import { DEFAULTS } from './defaults.js';
import {
  CIRCUIT_BREAKER_FIELDS,
  mergePolicy,
  RETRY_BUDGET_FIELDS,
  RETRY_FIELDS,
  TIMEOUT_FIELDS,
} from './policies.js';
import { findPreset, presetForType } from './presets.js';
import { type FileConfig, percentileOf } from './schema.js';
import type {
  CircuitBreakerPolicy,
  HedgePolicy,
  LedgerConfig,
  ModelConfig,
  OtlpConfig,
  Price,
  ProviderConfig,
  RetryPolicy,
  RouteConfig,
  StateConfig,
  SwitchboardConfig,
  Timeouts,
} from './types.js';

type FileProvider = FileConfig['providers'][string];
type FileModel = FileConfig['models'][string];
type FileRoute = NonNullable<FileConfig['routes']>[string];
type FileHedge = NonNullable<FileRoute['hedge']>;

interface GlobalPolicies {
  retry: RetryPolicy;
  circuitBreaker: CircuitBreakerPolicy;
  timeouts: Timeouts;
  /** Does the file set `circuit_breaker.max_cooldown_ms` globally? */
  maxCooldownSet: boolean;
  /** The file's global `health_probe` / `adaptive_timeouts` sections, as written. */
  healthProbe: FileConfig['health_probe'];
  adaptiveTimeouts: FileConfig['adaptive_timeouts'];
}

/**
 * A map keyed by user-chosen names, without a prototype: looking up a client-supplied name such as
 * `constructor` finds nothing rather than an Object.prototype member.
 */
function nameMap<V>(entries: Iterable<readonly [string, V]>): Record<string, V> {
  return Object.assign(Object.create(null) as Record<string, V>, Object.fromEntries(entries));
}

/**
 * Turns a validated, cross-checked file into the runtime shape: camelCase, defaults applied, presets
 * filled in, per-model policies merged over the global ones. Does not validate; does not freeze.
 */
export function resolveConfig(file: FileConfig): SwitchboardConfig {
  const global: GlobalPolicies = {
    retry: mergePolicy(DEFAULTS.retry, file.retry, RETRY_FIELDS),
    circuitBreaker: followCooldown(
      mergePolicy(DEFAULTS.circuitBreaker, file.circuit_breaker, CIRCUIT_BREAKER_FIELDS),
      file.circuit_breaker,
    ),
    timeouts: mergePolicy(DEFAULTS.timeouts, file.timeouts, TIMEOUT_FIELDS),
    maxCooldownSet: file.circuit_breaker?.max_cooldown_ms != null,
    healthProbe: file.health_probe,
    adaptiveTimeouts: file.adaptive_timeouts,
  };
  const routes = Object.entries(file.routes ?? {});
  // The default route serves chat requests without a model: the first chat route (not an embeddings one).
  const isEmbeddings = (r: FileRoute) => {
    const first = r.models[0];
    const id = typeof first === 'string' ? first : first?.model;
    return id !== undefined && (file.models[id]?.embedding ?? undefined) !== undefined;
  };
  const defaultRoute = file.default_route ?? routes.find(([, r]) => !isEmbeddings(r))?.[0];
  const server = file.server ?? {};
  const ledger = file.ledger ?? undefined;
  return {
    providers: nameMap(
      Object.entries(file.providers).map(([id, p]) => [id, resolveProvider(id, p)] as const),
    ),
    models: nameMap(Object.entries(file.models).map(([id, m]) => [id, resolveModel(id, m, global)] as const)),
    routes: nameMap(routes.map(([id, r]) => [id, resolveRoute(id, r)] as const)),
    ...(defaultRoute === undefined ? {} : { defaultRoute }),
    retry: global.retry,
    circuitBreaker: global.circuitBreaker,
    timeouts: global.timeouts,
    retryBudget: mergePolicy(DEFAULTS.retryBudget, file.retry_budget, RETRY_BUDGET_FIELDS),
    server: {
      host: server.host ?? DEFAULTS.server.host,
      port: server.port ?? DEFAULTS.server.port,
      apiKeys: (server.api_keys ?? DEFAULTS.server.apiKeys).filter((key) => key !== ''),
      maxBodyBytes: server.max_body_bytes ?? DEFAULTS.server.maxBodyBytes,
    },
    logging: { level: file.logging?.level ?? DEFAULTS.logging.level },
    ...(ledger === undefined ? {} : { ledger: resolveLedger(ledger) }),
    state: resolveState(file.state ?? undefined),
    ...(file.telemetry?.otlp ? { telemetry: { otlp: resolveOtlp(file.telemetry.otlp) } } : {}),
  };
}

function resolveOtlp(otlp: NonNullable<NonNullable<FileConfig['telemetry']>['otlp']>): OtlpConfig {
  const endpoint = otlp.endpoint || undefined;
  const propagate = otlp.propagate ?? undefined;
  return {
    ...(endpoint === undefined ? {} : { endpoint }),
    ...(otlp.protocol ? { protocol: otlp.protocol } : {}),
    ...(otlp.headers ? { headers: { ...otlp.headers } } : {}),
    ...(otlp.sample_ratio == null ? {} : { sampleRatio: otlp.sample_ratio }),
    ...(propagate === undefined
      ? {}
      : { propagate: typeof propagate === 'boolean' ? propagate : [...propagate] }),
    includeContent: DEFAULTS.otlp.includeContent,
    ...(otlp.service_name ? { serviceName: otlp.service_name } : {}),
  };
}

function resolveState(state: FileConfig['state']): StateConfig {
  if (state?.store !== 'redis' || !state.url) return { store: DEFAULTS.state.store };
  return { store: 'redis', url: state.url, prefix: state.prefix ?? DEFAULTS.state.prefix };
}

function resolveLedger(ledger: NonNullable<FileConfig['ledger']>): LedgerConfig | 'off' {
  if (ledger === 'off') return 'off';
  return {
    path: ledger.path ?? DEFAULTS.ledger.path,
    retentionDays: ledger.retention_days ?? DEFAULTS.ledger.retentionDays,
    storeContent: false,
  };
}

function resolveProvider(id: string, provider: FileProvider): ProviderConfig {
  const explicitType = provider.type ?? undefined;
  const preset = provider.preset ?? presetForType(explicitType);
  const presetConfig = preset === undefined ? undefined : findPreset(preset);
  const baseUrl = provider.base_url ?? presetConfig?.baseUrl;
  if (baseUrl === undefined)
    throw new Error(`providers.${id}: no base URL (cross-reference checks missed it)`);
  const apiKey = provider.api_key ?? '';
  return {
    id,
    type: explicitType ?? presetConfig?.type ?? 'openai',
    baseUrl: baseUrl.replace(/\/+$/, ''),
    ...(apiKey === '' ? {} : { apiKey }),
    headers: { ...provider.headers },
    ...(preset === undefined ? {} : { preset }),
    maxConnections: provider.max_connections ?? DEFAULTS.provider.maxConnections,
  };
}

function resolveModel(id: string, model: FileModel, global: GlobalPolicies): ModelConfig {
  const price = model.price ?? undefined;
  const contextWindow = model.context_window ?? undefined;
  const maxOutputTokens = model.max_output_tokens ?? undefined;
  const rpm = model.rpm ?? undefined;
  const tpm = model.tpm ?? undefined;
  const embedding = model.embedding ?? undefined;
  return {
    id,
    provider: model.provider,
    upstreamModel: model.model ?? id,
    ...(price === undefined ? {} : { price: resolvePrice(price) }),
    ...(contextWindow === undefined ? {} : { contextWindow }),
    ...(maxOutputTokens === undefined ? {} : { maxOutputTokens }),
    fallbacks: [...(model.fallbacks ?? [])],
    retry: mergePolicy(global.retry, model.retry, RETRY_FIELDS),
    circuitBreaker: followCooldown(
      mergePolicy(global.circuitBreaker, model.circuit_breaker, CIRCUIT_BREAKER_FIELDS),
      model.circuit_breaker,
      global.maxCooldownSet,
    ),
    timeouts: mergePolicy(global.timeouts, model.timeouts, TIMEOUT_FIELDS),
    ...(rpm === undefined ? {} : { rpm }),
    ...(tpm === undefined ? {} : { tpm }),
    assistantPrefill: model.assistant_prefill ?? DEFAULTS.model.assistantPrefill,
    ...(embedding === undefined ? {} : { embedding: { ...embedding } }),
    ...resolveRecovery(model, global),
  };
}

/**
 * `max_cooldown_ms` left unset follows the cooldown: the default cap (30 s, the recovery target when
 * probes are off), or the cooldown itself when that is longer (no doubling, and no conflict).
 */
function followCooldown(
  policy: CircuitBreakerPolicy,
  layer: { max_cooldown_ms?: number | null } | null | undefined,
  setAbove = false,
): CircuitBreakerPolicy {
  if (setAbove || layer?.max_cooldown_ms != null) return policy;
  return { ...policy, maxCooldownMs: Math.max(policy.maxCooldownMs, policy.cooldownMs) };
}

/** The model's `health_probe` and `adaptive_timeouts`, present only when the file has such a section. */
function resolveRecovery(
  model: FileModel,
  global: GlobalPolicies,
): Pick<ModelConfig, 'healthProbe' | 'adaptiveTimeouts'> {
  const out: Pick<ModelConfig, 'healthProbe' | 'adaptiveTimeouts'> = {};
  const probe = { ...(global.healthProbe ?? {}), ...(model.health_probe ?? {}) };
  if ((global.healthProbe ?? model.health_probe ?? undefined) !== undefined) {
    out.healthProbe = {
      enabled: probe.enabled ?? DEFAULTS.healthProbe.enabled,
      intervalMs: probe.interval_ms ?? DEFAULTS.healthProbe.intervalMs,
    };
  }
  const adaptive = { ...(global.adaptiveTimeouts ?? {}), ...(model.adaptive_timeouts ?? {}) };
  if ((global.adaptiveTimeouts ?? model.adaptive_timeouts ?? undefined) !== undefined) {
    const d = DEFAULTS.adaptiveTimeouts;
    out.adaptiveTimeouts = {
      enabled: adaptive.enabled ?? d.enabled,
      multiple: adaptive.multiple ?? d.multiple,
      floorMs: adaptive.floor_ms ?? d.floorMs,
      minSamples: adaptive.min_samples ?? d.minSamples,
      json: adaptive.json ?? d.json,
      perThousandPromptTokensMs: adaptive.per_1k_prompt_tokens_ms ?? d.perThousandPromptTokensMs,
    };
  }
  return out;
}

function resolvePrice(price: NonNullable<FileModel['price']>): Price {
  const cacheRead = price.cache_read ?? undefined;
  const cacheWrite = price.cache_write ?? undefined;
  return {
    inputUsdPer1M: price.input,
    outputUsdPer1M: price.output,
    ...(cacheRead === undefined ? {} : { cacheReadUsdPer1M: cacheRead }),
    ...(cacheWrite === undefined ? {} : { cacheWriteUsdPer1M: cacheWrite }),
  };
}

function resolveRoute(id: string, route: FileRoute): RouteConfig {
  const hedge = route.hedge ?? undefined;
  return {
    id,
    models: route.models.map((entry) => (typeof entry === 'string' ? entry : entry.model)),
    weights: route.models.map((entry) =>
      typeof entry === 'string' ? DEFAULTS.route.weight : (entry.weight ?? DEFAULTS.route.weight),
    ),
    strategy: route.strategy ?? DEFAULTS.route.strategy,
    ...(hedge === undefined ? {} : { hedge: resolveHedge(hedge) }),
    streamRecovery: route.stream_recovery ?? DEFAULTS.route.streamRecovery,
    fallbackOnContentPolicy: route.fallback_on_content_policy ?? DEFAULTS.route.fallbackOnContentPolicy,
    ...(route.wait_for_preferred_ms == null ? {} : { waitForPreferredMs: route.wait_for_preferred_ms }),
  };
}

function resolveHedge(hedge: FileHedge): HedgePolicy {
  const afterMs = hedge.after_ms ?? undefined;
  const after = hedge.after ?? undefined;
  return {
    ...(afterMs === undefined ? {} : { afterMs }),
    ...(after === undefined ? {} : { afterPercentile: percentileOf(after) }),
  };
}
