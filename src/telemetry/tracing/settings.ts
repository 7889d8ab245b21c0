import { SwitchboardError } from '../../common/errors.js';
import { DEFAULTS } from '../../config/defaults.js';
import type { OtlpConfig, SwitchboardConfig } from '../../config/types.js';

export type Env = Readonly<Record<string, string | undefined>>;
export type OtlpProtocol = 'http/protobuf' | 'http/json';

/** Everything the tracer is built from: the file's `telemetry.otlp` over the `OTEL_*` environment. */
export interface TracingSettings {
  /** The full traces URL (`…/v1/traces`). Secret: never logged. */
  url: string;
  protocol: OtlpProtocol;
  /** Sent with every export. Secret. */
  headers: Readonly<Record<string, string>>;
  /** Fraction of new traces recorded; a caller's sampled flag is followed (parent-based). */
  sampleRatio: number;
  serviceName: string;
  resourceAttributes: Readonly<Record<string, string>>;
  /** Providers whose upstream calls carry `traceparent` / `tracestate`. */
  propagateTo: ReadonlySet<string>;
  exportTimeoutMs: number;
  batch: { scheduledDelayMs: number; maxQueueSize: number; maxExportBatchSize: number };
}

const DEFAULT_ENDPOINT = 'http://localhost:4318'; // the OTLP/HTTP default
const TRACES_PATH = '/v1/traces';
const DEFAULT_EXPORT_TIMEOUT_MS = 10_000; // 10s, as the OTLP exporters
const DEFAULT_BATCH = { scheduledDelayMs: 1_000, maxQueueSize: 2_048, maxExportBatchSize: 512 };

export class TracingSettingsError extends SwitchboardError {
  constructor(message: string) {
    super('invalid_tracing_settings', message);
    this.name = 'TracingSettingsError';
  }
}

/**
 * Tracing is on when the file has `telemetry.otlp` (even empty), or when the environment asks for it
 * explicitly (`OTEL_TRACES_EXPORTER=otlp`); `OTEL_SDK_DISABLED=true` and `OTEL_TRACES_EXPORTER=none`
 * turn it off. The file's keys win over the environment. Undefined when off. Pure.
 */
export function resolveTracingSettings(config: SwitchboardConfig, env: Env): TracingSettings | undefined {
  const file = config.telemetry?.otlp;
  const exporter = read(env, 'OTEL_TRACES_EXPORTER')?.toLowerCase();
  if (read(env, 'OTEL_SDK_DISABLED')?.toLowerCase() === 'true' || exporter === 'none') return undefined;
  if (file === undefined && exporter !== 'otlp') return undefined;
  const protocol = file?.protocol ?? envProtocol(env) ?? DEFAULTS.otlp.protocol;
  return {
    url: tracesUrl(file, env),
    protocol,
    headers: {
      ...parseKeyValues(read(env, 'OTEL_EXPORTER_OTLP_HEADERS'), 'OTEL_EXPORTER_OTLP_HEADERS'),
      ...parseKeyValues(read(env, 'OTEL_EXPORTER_OTLP_TRACES_HEADERS'), 'OTEL_EXPORTER_OTLP_TRACES_HEADERS'),
      ...file?.headers,
    },
    sampleRatio: file?.sampleRatio ?? envSampleRatio(env) ?? DEFAULTS.otlp.sampleRatio,
    serviceName: file?.serviceName ?? read(env, 'OTEL_SERVICE_NAME') ?? DEFAULTS.otlp.serviceName,
    resourceAttributes: parseKeyValues(read(env, 'OTEL_RESOURCE_ATTRIBUTES'), 'OTEL_RESOURCE_ATTRIBUTES'),
    propagateTo: propagationTargets(config, file?.propagate),
    exportTimeoutMs:
      envInt(env, 'OTEL_EXPORTER_OTLP_TRACES_TIMEOUT') ??
      envInt(env, 'OTEL_EXPORTER_OTLP_TIMEOUT') ??
      DEFAULT_EXPORT_TIMEOUT_MS,
    batch: {
      scheduledDelayMs: envInt(env, 'OTEL_BSP_SCHEDULE_DELAY') ?? DEFAULT_BATCH.scheduledDelayMs,
      maxQueueSize: envInt(env, 'OTEL_BSP_MAX_QUEUE_SIZE') ?? DEFAULT_BATCH.maxQueueSize,
      maxExportBatchSize: envInt(env, 'OTEL_BSP_MAX_EXPORT_BATCH_SIZE') ?? DEFAULT_BATCH.maxExportBatchSize,
    },
  };
}

/** Absent: OpenAI-compatible providers (they ignore headers they do not know); native vendor wires not. */
function propagationTargets(config: SwitchboardConfig, propagate: OtlpConfig['propagate']): Set<string> {
  const providers = Object.values(config.providers);
  if (propagate === true) return new Set(providers.map((p) => p.id));
  if (propagate === false) return new Set();
  if (propagate !== undefined) return new Set(propagate);
  return new Set(providers.filter((p) => p.type === 'openai').map((p) => p.id));
}

/** The file's endpoint and `OTEL_EXPORTER_OTLP_ENDPOINT` are base URLs; the traces one is used as is. */
function tracesUrl(file: OtlpConfig | undefined, env: Env): string {
  if (file?.endpoint !== undefined) return withTracesPath(file.endpoint);
  const traces = read(env, 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT');
  if (traces !== undefined) return checkedUrl(traces, 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT');
  const base = read(env, 'OTEL_EXPORTER_OTLP_ENDPOINT');
  return withTracesPath(
    base === undefined ? DEFAULT_ENDPOINT : checkedUrl(base, 'OTEL_EXPORTER_OTLP_ENDPOINT'),
  );
}

function withTracesPath(base: string): string {
  const trimmed = base.replace(/\/+$/, '');
  return trimmed.endsWith(TRACES_PATH) ? trimmed : `${trimmed}${TRACES_PATH}`;
}

/** Never quotes the value: an endpoint may carry credentials. */
function checkedUrl(text: string, variable: string): string {
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {}
  if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:'))
    throw new TracingSettingsError(`${variable} must be an http(s) URL, such as http://127.0.0.1:4318`);
  return text;
}

function envProtocol(env: Env): OtlpProtocol | undefined {
  for (const variable of ['OTEL_EXPORTER_OTLP_TRACES_PROTOCOL', 'OTEL_EXPORTER_OTLP_PROTOCOL']) {
    const value = read(env, variable);
    if (value === undefined) continue;
    if (value === 'http/protobuf' || value === 'http/json') return value;
    throw new TracingSettingsError(
      `${variable}=${value.slice(0, 40)} is not supported: use http/protobuf or http/json (grpc is not)`,
    );
  }
  return undefined;
}

/** `OTEL_TRACES_SAMPLER` (+ `_ARG`) as a ratio; every sampler is applied parent-based. */
function envSampleRatio(env: Env): number | undefined {
  const sampler = read(env, 'OTEL_TRACES_SAMPLER')?.toLowerCase();
  if (sampler === undefined) return undefined;
  if (sampler === 'always_on' || sampler === 'parentbased_always_on') return 1;
  if (sampler === 'always_off' || sampler === 'parentbased_always_off') return 0;
  if (sampler === 'traceidratio' || sampler === 'parentbased_traceidratio') {
    const arg = read(env, 'OTEL_TRACES_SAMPLER_ARG');
    if (arg === undefined) return 1;
    const ratio = Number(arg);
    if (!Number.isFinite(ratio) || ratio < 0 || ratio > 1)
      throw new TracingSettingsError(
        `OTEL_TRACES_SAMPLER_ARG must be a number from 0 to 1 (got ${arg.slice(0, 40)})`,
      );
    return ratio;
  }
  throw new TracingSettingsError(
    `OTEL_TRACES_SAMPLER=${sampler.slice(0, 40)} is not supported: use always_on, always_off, traceidratio or their parentbased_ forms`,
  );
}

function envInt(env: Env, variable: string): number | undefined {
  const value = read(env, variable);
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0)
    throw new TracingSettingsError(`${variable} must be a positive whole number (got ${value.slice(0, 40)})`);
  return n;
}

/** `k1=v1,k2=v2` with percent-encoded values (OTEL_EXPORTER_OTLP_HEADERS, OTEL_RESOURCE_ATTRIBUTES). */
export function parseKeyValues(text: string | undefined, variable: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (text === undefined) return out;
  for (const part of text.split(',')) {
    if (part.trim() === '') continue;
    const eq = part.indexOf('=');
    const key = eq === -1 ? '' : part.slice(0, eq).trim();
    // Never quotes the entry: header values are often API keys.
    if (key === '') throw new TracingSettingsError(`${variable} must be a list of key=value pairs`);
    let value = part.slice(eq + 1).trim();
    try {
      value = decodeURIComponent(value);
    } catch {
      throw new TracingSettingsError(`${variable}: the value of ${key.slice(0, 40)} is not percent-encoded`);
    }
    out[key] = value;
  }
  return out;
}

function read(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}
