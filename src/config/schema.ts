import { z } from 'zod';
import type { ProviderType, RouteConfig, RouteStrategy } from './types.js';

/**
 * The file format, snake_case, as zod schemas. Objects are strict (an unknown key is an error), and
 * YAML `null` (a key with nothing after the colon) counts as absent for optional keys. Numbers and
 * booleans may also be written as strings, since `${VAR}` always expands to a string.
 */

const NUMERIC = /^\s*-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?\s*$/;

/** `"8787"` → 8787; anything else unchanged. */
export function coerceNumeric(value: unknown): unknown {
  return typeof value === 'string' && NUMERIC.test(value) ? Number(value) : value;
}

function coerceBoolean(value: unknown): unknown {
  if (value === 'true') return true;
  if (value === 'false') return false;
  return value;
}

const int = (min: number, max?: number) =>
  z.preprocess(coerceNumeric, max === undefined ? z.int().min(min) : z.int().min(min).max(max));
const positiveInt = int(1);
const nonNegativeInt = int(0);
const nonNegativeNumber = z.preprocess(coerceNumeric, z.number().min(0));
const positiveNumber = z.preprocess(coerceNumeric, z.number().positive());
const bool = z.preprocess(coerceBoolean, z.boolean());
const name = z.string().min(1);

/** Returns what is wrong with a base URL, or undefined. Never quotes the URL (it may carry credentials). */
export function baseUrlProblem(text: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'must be an http(s) URL, such as https://api.example.com/v1';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return `must be an http(s) URL (the scheme is ${url.protocol.slice(0, -1)})`;
  }
  if (url.search !== '' || url.hash !== '') {
    return 'must not have a query string or fragment (requests go to <base_url>/chat/completions)';
  }
  return undefined;
}

const baseUrl = z.string().superRefine((text, ctx) => {
  const problem = baseUrlProblem(text);
  if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
});

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

const headers = z.record(z.string(), z.string()).superRefine((map, ctx) => {
  for (const [key, value] of Object.entries(map)) {
    if (!HEADER_NAME.test(key)) {
      ctx.addIssue({ code: 'custom', path: [key], message: 'is not a valid HTTP header name' });
    } else if (/[\r\n\0]/.test(value)) {
      ctx.addIssue({ code: 'custom', path: [key], message: 'must not contain line breaks or NUL' });
    }
  }
});

export const retrySchema = z.strictObject({
  max_retries: nonNegativeInt,
  base_delay_ms: nonNegativeInt,
  max_delay_ms: nonNegativeInt,
  max_retry_after_ms: nonNegativeInt,
});

export const circuitBreakerSchema = z.strictObject({
  failure_threshold: positiveInt,
  window_ms: positiveInt,
  cooldown_ms: positiveInt,
  max_cooldown_ms: positiveInt,
});

export const timeoutsSchema = z.strictObject({
  connect_ms: positiveInt,
  first_byte_ms: positiveInt,
  first_token_ms: positiveInt,
  stall_ms: positiveInt,
  attempt_ms: positiveInt,
  total_ms: positiveInt,
});

/** `health_probe: { enabled, interval_ms }`: synthetic one-token probes while a breaker is open. */
export const healthProbeSchema = z.strictObject({
  enabled: bool,
  interval_ms: int(1_000),
});

/** `adaptive_timeouts`: first-token (and, with `json`, attempt) limits learnt from the model's p99. */
export const adaptiveTimeoutsSchema = z.strictObject({
  enabled: bool,
  multiple: z.preprocess(coerceNumeric, z.number().min(1)),
  floor_ms: positiveInt,
  /** At most the 100 samples a model's latency window keeps. */
  min_samples: int(1, 100),
  json: bool,
  per_1k_prompt_tokens_ms: nonNegativeInt,
});

/** Process-wide cap on retries and hedges: `ratio` × requests per window, but at least `min_retries`. */
export const retryBudgetSchema = z.strictObject({
  ratio: z.preprocess(coerceNumeric, z.number().min(0).max(1)),
  min_retries: nonNegativeInt,
  window_ms: positiveInt,
});

/** Policy sections: every key optional; a partial object merges over the enclosing level. */
const policies = {
  retry: retrySchema.partial().nullish(),
  circuit_breaker: circuitBreakerSchema.partial().nullish(),
  timeouts: timeoutsSchema.partial().nullish(),
  health_probe: healthProbeSchema.partial().nullish(),
  adaptive_timeouts: adaptiveTimeoutsSchema.partial().nullish(),
};

export const PROVIDER_TYPES = ['openai', 'anthropic', 'gemini'] as const satisfies readonly ProviderType[];

const providerSchema = z.strictObject({
  type: z.enum(PROVIDER_TYPES).nullish(),
  base_url: baseUrl.nullish(),
  preset: name.nullish(),
  api_key: z.string().nullish(),
  headers: headers.nullish(),
  max_connections: positiveInt.nullish(),
});

const modelSchema = z.strictObject({
  provider: name,
  model: name.nullish(),
  price: z
    .strictObject({
      input: nonNegativeNumber,
      output: nonNegativeNumber,
      cache_read: nonNegativeNumber.nullish(),
      cache_write: nonNegativeNumber.nullish(),
    })
    .nullish(),
  context_window: positiveInt.nullish(),
  max_output_tokens: positiveInt.nullish(),
  fallbacks: z.array(name).nullish(),
  rpm: positiveInt.nullish(),
  tpm: positiveInt.nullish(),
  assistant_prefill: bool.nullish(),
  /** An embedding model: the vector space it produces and its vectors' length (embedding-spaces.ts). */
  embedding: z.strictObject({ space: name, dimensions: positiveInt }).nullish(),
  ...policies,
});

export const ROUTE_STRATEGIES = [
  'ordered',
  'fastest',
  'cheapest',
  'weighted',
] as const satisfies readonly RouteStrategy[];
export const STREAM_RECOVERIES = [
  'continue',
  'error',
] as const satisfies readonly RouteConfig['streamRecovery'][];

/** `p95`, `p99.9`: a percentile from p1 to p99.9. */
const PERCENTILE = /^p\d{1,2}(\.\d+)?$/;
const PERCENTILE_FORM = 'must be a percentile written pNN, from p1 to p99.9 (such as p95 or p99.9)';

/** The number a valid `after: pNN` stands for. */
export function percentileOf(text: string): number {
  return Number(text.slice(1));
}

const percentile = z.string({ error: PERCENTILE_FORM }).refine((text) => {
  if (!PERCENTILE.test(text)) return false;
  const value = percentileOf(text);
  return value >= 1 && value <= 99.9;
}, PERCENTILE_FORM);

const hedgeSchema = z
  .strictObject({ after_ms: positiveInt.nullish(), after: percentile.nullish() })
  .refine((hedge) => (hedge.after_ms ?? hedge.after ?? undefined) !== undefined, {
    message: 'needs after_ms, after (a percentile such as p95), or both',
    // A misspelt key is reported as such; saying the right one is missing too would be noise.
    when: (payload) => payload.issues.length === 0,
  });

const ROUTE_ENTRY_FORM = 'must be a model name, or a mapping with `model:` and an optional `weight:`';

/** A chain entry: a model name, or `{ model, weight }`. */
const routeEntry = z.union([name, z.strictObject({ model: name, weight: positiveNumber.nullish() })], {
  error: (issue) => (issue.code === 'invalid_union' ? ROUTE_ENTRY_FORM : undefined),
});

/** The short form `[a, b]` is read as `{ models: [a, b] }`. */
const routeSchema = z.preprocess(
  (value) => (Array.isArray(value) ? { models: value } : value),
  z.strictObject(
    {
      models: z.array(routeEntry).min(1, 'a route needs at least one model'),
      strategy: z.enum(ROUTE_STRATEGIES).nullish(),
      hedge: hedgeSchema.nullish(),
      stream_recovery: z.enum(STREAM_RECOVERIES).nullish(),
      fallback_on_content_policy: bool.nullish(),
      wait_for_preferred_ms: nonNegativeInt.nullish(),
    },
    {
      error: (issue) =>
        issue.code === 'invalid_type'
          ? 'must be a list of model names, or a mapping with `models:`'
          : undefined,
    },
  ),
);

const serverSchema = z.strictObject({
  host: name,
  port: int(0, 65_535),
  /** A single string is a one-key list; empty strings are dropped later. */
  api_keys: z.preprocess((value) => (typeof value === 'string' ? [value] : value), z.array(z.string())),
  max_body_bytes: positiveInt,
});

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const STORE_CONTENT_UNSUPPORTED =
  'true is not supported yet: the ledger records how requests were answered, never prompts or completions';
const LEDGER_FORM = 'must be `off`, or a mapping with path, retention_days and store_content';

/** `ledger: off` (or `false`) disables the usage ledger; a mapping configures it. */
const ledgerSchema = z.union([
  z.preprocess(
    (value) => (value === false || value === 'false' ? 'off' : value),
    z.literal('off', { error: LEDGER_FORM }),
  ),
  z.strictObject({
    path: name.nullish(),
    retention_days: positiveInt.nullish(),
    store_content: bool.refine((value) => value === false, STORE_CONTENT_UNSUPPORTED).nullish(),
  }),
]);

export const STATE_STORES = ['memory', 'redis'] as const;

/** Returns what is wrong with a Redis URL, or undefined. Never quotes the URL (it may carry a password). */
export function redisUrlProblem(text: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'must be a redis:// or rediss:// URL, such as redis://127.0.0.1:6379';
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:')
    return `must be a redis:// or rediss:// URL (the scheme is ${url.protocol.slice(0, -1)})`;
  return undefined;
}

/** `state: { store: redis, url: ${REDIS_URL}, prefix: switchboard }`: where instances share health. */
const stateSchema = z
  .strictObject({
    store: z.enum(STATE_STORES).nullish(),
    url: z
      .string()
      .superRefine((text, ctx) => {
        const problem = redisUrlProblem(text);
        if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
      })
      .nullish(),
    prefix: z
      .string()
      .regex(/^[^\s]+$/, 'must be a non-empty word without spaces, such as switchboard')
      .nullish(),
  })
  .superRefine((state, ctx) => {
    if (state.store === 'redis' && (state.url ?? undefined) === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['url'],
        message: 'is required with store: redis (such as redis://127.0.0.1:6379 or ${REDIS_URL})',
      });
  });

export const OTLP_PROTOCOLS = ['http/protobuf', 'http/json'] as const;

const INCLUDE_CONTENT_UNSUPPORTED =
  'true is not supported yet: spans describe how requests were answered, never prompts or completions';

/**
 * `telemetry: { otlp: {...} }`: OpenTelemetry traces over OTLP/HTTP. Every key may be left out and
 * taken from the standard `OTEL_*` environment variables instead (an empty mapping turns tracing on).
 */
const otlpSchema = z.strictObject({
  endpoint: z
    .string()
    .superRefine((text, ctx) => {
      if (text === '') return; // `${OTEL_EXPORTER_OTLP_ENDPOINT:-}` unset: the environment decides
      let url: URL | undefined;
      try {
        url = new URL(text);
      } catch {}
      if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:'))
        ctx.addIssue({ code: 'custom', message: 'must be an http(s) URL, such as http://127.0.0.1:4318' });
    })
    .nullish(),
  protocol: z.enum(OTLP_PROTOCOLS).nullish(),
  headers: headers.nullish(),
  sample_ratio: z.preprocess(coerceNumeric, z.number().min(0).max(1)).nullish(),
  /** `true`: every provider; `false`: none; a list of provider names; absent: OpenAI-compatible ones. */
  propagate: z
    .union([bool, z.array(name)], { error: 'must be true, false, or a list of provider names' })
    .nullish(),
  include_content: bool.refine((value) => value === false, INCLUDE_CONTENT_UNSUPPORTED).nullish(),
  service_name: name.nullish(),
});

export const configSchema = z.strictObject({
  providers: z.record(z.string(), providerSchema),
  models: z.record(z.string(), modelSchema),
  routes: z.record(z.string(), routeSchema).nullish(),
  default_route: name.nullish(),
  ...policies,
  retry_budget: retryBudgetSchema.partial().nullish(),
  server: serverSchema.partial().nullish(),
  logging: z
    .strictObject({ level: z.enum(LOG_LEVELS) })
    .partial()
    .nullish(),
  ledger: ledgerSchema.nullish(),
  state: stateSchema.nullish(),
  telemetry: z.strictObject({ otlp: otlpSchema.nullish() }).nullish(),
});

/** The validated file, still snake_case and without defaults. */
export type FileConfig = z.output<typeof configSchema>;
export type FileRetry = z.output<typeof retrySchema>;
