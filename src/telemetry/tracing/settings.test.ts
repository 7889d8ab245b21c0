import { describe, expect, it } from 'vitest';
import { baseDoc } from '../../../test/support/config-docs.js';
import { parseConfig } from '../../config/index.js';
import { genAiProviderName } from './provider-name.js';
import { parseKeyValues, resolveTracingSettings, TracingSettingsError } from './settings.js';

const configWith = (otlp?: unknown, providers?: Record<string, unknown>) =>
  parseConfig(
    {
      ...baseDoc(),
      ...(providers ? { providers } : {}),
      ...(otlp === undefined ? {} : { telemetry: { otlp } }),
    },
    { env: {} },
  );

describe('resolveTracingSettings', () => {
  it.each([
    ['no telemetry key, no environment', undefined, {}],
    [
      'OTEL_* alone (an endpoint set for other apps)',
      undefined,
      { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318' },
    ],
    ['OTEL_SDK_DISABLED=true', {}, { OTEL_SDK_DISABLED: 'true' }],
    ['OTEL_TRACES_EXPORTER=none', {}, { OTEL_TRACES_EXPORTER: 'none' }],
  ])('is off: %s', (_, otlp, env) => {
    expect(resolveTracingSettings(configWith(otlp), env)).toBeUndefined();
  });

  it('defaults: the OTLP/HTTP endpoint on localhost, protobuf, everything sampled, OpenAI-compatible providers propagate', () => {
    const settings = resolveTracingSettings(configWith({}), {});
    expect(settings).toMatchObject({
      url: 'http://localhost:4318/v1/traces',
      protocol: 'http/protobuf',
      headers: {},
      sampleRatio: 1,
      serviceName: 'switchboard',
      exportTimeoutMs: 10_000,
      batch: { scheduledDelayMs: 1_000, maxQueueSize: 2_048, maxExportBatchSize: 512 },
    });
    expect([...(settings?.propagateTo ?? [])]).toEqual(['deepseek', 'zhipu']);
  });

  it.each([
    [{ endpoint: 'http://c:4318' }, {}, 'http://c:4318/v1/traces'],
    [{ endpoint: 'http://c:4318/' }, {}, 'http://c:4318/v1/traces'],
    [{ endpoint: 'https://c/otlp/v1/traces' }, {}, 'https://c/otlp/v1/traces'],
    [{}, { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://env:4318' }, 'http://env:4318/v1/traces'],
    [{}, { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://env:4318/custom' }, 'http://env:4318/custom'],
    [
      { endpoint: 'http://file:4318' },
      { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://env:4318' },
      'http://file:4318/v1/traces',
    ],
  ])('endpoint %j with %j → %s', (otlp, env, url) => {
    expect(resolveTracingSettings(configWith(otlp), env)?.url).toBe(url);
  });

  it('the environment fills what the file leaves out, and the file wins', () => {
    const env = {
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_EXPORTER_OTLP_HEADERS: 'x-a=1,x-b=two%20words',
      OTEL_EXPORTER_OTLP_TRACES_HEADERS: 'x-b=3',
      OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
      OTEL_TRACES_SAMPLER_ARG: '0.1',
      OTEL_SERVICE_NAME: 'from-env',
      OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment=prod',
      OTEL_EXPORTER_OTLP_TIMEOUT: '2000',
      OTEL_BSP_MAX_QUEUE_SIZE: '100',
    };
    expect(resolveTracingSettings(configWith({}), env)).toMatchObject({
      protocol: 'http/json',
      headers: { 'x-a': '1', 'x-b': '3' },
      sampleRatio: 0.1,
      serviceName: 'from-env',
      resourceAttributes: { 'deployment.environment': 'prod' },
      exportTimeoutMs: 2_000,
      batch: { maxQueueSize: 100 },
    });
    const file = {
      protocol: 'http/protobuf',
      headers: { 'x-b': 'file' },
      sample_ratio: 0.5,
      service_name: 'file',
    };
    expect(resolveTracingSettings(configWith(file), env)).toMatchObject({
      protocol: 'http/protobuf',
      headers: { 'x-a': '1', 'x-b': 'file' },
      sampleRatio: 0.5,
      serviceName: 'file',
    });
  });

  it.each([
    ['always_on', undefined, 1],
    ['always_off', undefined, 0],
    ['traceidratio', '0.25', 0.25],
    ['parentbased_always_off', undefined, 0],
  ])('OTEL_TRACES_SAMPLER=%s (arg %s) → ratio %d', (sampler, arg, ratio) => {
    const env = { OTEL_TRACES_SAMPLER: sampler, ...(arg ? { OTEL_TRACES_SAMPLER_ARG: arg } : {}) };
    expect(resolveTracingSettings(configWith({}), env)?.sampleRatio).toBe(ratio);
  });

  it.each([
    [{ OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' }, 'OTEL_EXPORTER_OTLP_PROTOCOL=grpc is not supported'],
    [{ OTEL_TRACES_SAMPLER: 'jaeger_remote' }, 'OTEL_TRACES_SAMPLER=jaeger_remote is not supported'],
    [
      { OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '2' },
      'OTEL_TRACES_SAMPLER_ARG must be',
    ],
    [{ OTEL_EXPORTER_OTLP_TIMEOUT: 'soon' }, 'OTEL_EXPORTER_OTLP_TIMEOUT must be a positive whole number'],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' }, 'OTEL_EXPORTER_OTLP_ENDPOINT must be an http(s) URL'],
    [
      { OTEL_EXPORTER_OTLP_HEADERS: 'api-key' },
      'OTEL_EXPORTER_OTLP_HEADERS must be a list of key=value pairs',
    ],
  ])('names a bad variable: %j', (env, message) => {
    expect(() => resolveTracingSettings(configWith({}), env)).toThrow(TracingSettingsError);
    expect(() => resolveTracingSettings(configWith({}), env)).toThrow(message);
  });

  it('never quotes a header value in its error', () => {
    expect(() =>
      resolveTracingSettings(configWith({}), { OTEL_EXPORTER_OTLP_HEADERS: 'k=%E0%A4%A,sk-secret-value' }),
    ).toThrow(/^(?!.*sk-secret).*$/);
  });

  it.each([
    [true, ['deepseek', 'zhipu']],
    [false, []],
    [['zhipu'], ['zhipu']],
  ])('propagate: %j → %j', (propagate, providers) => {
    expect([...(resolveTracingSettings(configWith({ propagate }), {})?.propagateTo ?? [])]).toEqual(
      providers,
    );
  });

  it('by default, native vendor wires get no trace headers', () => {
    const providers = {
      deepseek: { base_url: 'https://api.deepseek.com/v1', api_key: 'sk-deepseek' },
      zhipu: { type: 'anthropic', api_key: 'sk-ant' },
    };
    expect([...(resolveTracingSettings(configWith({}, providers), {})?.propagateTo ?? [])]).toEqual([
      'deepseek',
    ]);
  });
});

describe('parseKeyValues', () => {
  it.each([
    ['', {}],
    ['a=1', { a: '1' }],
    [' a = 1 , b=x%3Dy ,', { a: '1', b: 'x=y' }],
    ['a=', { a: '' }],
  ])('%j → %j', (text, parsed) => {
    expect(parseKeyValues(text, 'V')).toEqual(parsed);
  });
});

describe('genAiProviderName', () => {
  it.each([
    [{ id: 'mine', type: 'openai' as const, preset: 'openai' }, 'openai'],
    [{ id: 'mine', type: 'openai' as const, preset: 'mistral' }, 'mistral_ai'],
    [{ id: 'mine', type: 'anthropic' as const }, 'anthropic'],
    [{ id: 'mine', type: 'gemini' as const }, 'gcp.gemini'],
    [{ id: 'local-vllm', type: 'openai' as const }, 'local-vllm'],
  ])('%j → %s', (provider, name) => {
    expect(genAiProviderName(provider)).toBe(name);
  });
});
