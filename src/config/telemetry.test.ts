import { describe, expect, it } from 'vitest';
import { baseDoc, issuesOf } from '../../test/support/config-docs.js';
import { DEFAULTS, parseConfig } from './index.js';

const parseWith = (otlp: unknown, env: Record<string, string> = {}) =>
  parseConfig({ ...baseDoc(), telemetry: { otlp } }, { env });

describe('config: telemetry.otlp', () => {
  it('is absent when the file has no telemetry key, or an empty otlp', () => {
    expect(parseConfig(baseDoc())).not.toHaveProperty('telemetry');
    expect(parseWith(null)).not.toHaveProperty('telemetry');
  });

  it('an empty mapping turns tracing on, leaving every setting to the environment', () => {
    expect(parseWith({}).telemetry).toEqual({ otlp: { includeContent: false } });
    expect(DEFAULTS.otlp).toEqual({
      protocol: 'http/protobuf',
      sampleRatio: 1,
      includeContent: false,
      serviceName: 'switchboard',
    });
  });

  it('reads every key (numbers and booleans may come from ${ENV})', () => {
    const otlp = {
      endpoint: '${OTEL_EXPORTER_OTLP_ENDPOINT}',
      protocol: 'http/json',
      headers: { 'x-honeycomb-team': 'key-123' },
      sample_ratio: '${RATIO}',
      propagate: ['deepseek'],
      include_content: 'false',
      service_name: 'gateway-eu',
    };
    expect(
      parseWith(otlp, { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', RATIO: '0.25' }).telemetry,
    ).toEqual({
      otlp: {
        endpoint: 'http://collector:4318',
        protocol: 'http/json',
        headers: { 'x-honeycomb-team': 'key-123' },
        sampleRatio: 0.25,
        propagate: ['deepseek'],
        includeContent: false,
        serviceName: 'gateway-eu',
      },
    });
  });

  it('an endpoint from an unset ${VAR:-} is left to the environment', () => {
    expect(parseWith({ endpoint: '${OTEL_EXPORTER_OTLP_ENDPOINT:-}' }).telemetry?.otlp).toEqual({
      includeContent: false,
    });
  });

  it.each([[true], [false], ['true']])('propagate: %j', (propagate) => {
    expect(parseWith({ propagate }).telemetry?.otlp?.propagate).toBe(propagate === 'true' || propagate);
  });

  it('rejects include_content: true as not supported yet', () => {
    expect(issuesOf(() => parseWith({ include_content: true }))).toEqual([
      {
        path: 'telemetry.otlp.include_content',
        message:
          'true is not supported yet: spans describe how requests were answered, never prompts or completions',
      },
    ]);
  });

  it.each([
    [
      { endpoint: 'collector:4318' },
      'telemetry.otlp.endpoint',
      'must be an http(s) URL, such as http://127.0.0.1:4318',
    ],
    [{ sample_ratio: 1.5 }, 'telemetry.otlp.sample_ratio', 'must be at most 1'],
    [{ sample_ratio: -0.1 }, 'telemetry.otlp.sample_ratio', 'must be at least 0'],
    [{ propagate: 'yes' }, 'telemetry.otlp.propagate', 'must be true, false, or a list of provider names'],
    [
      { propagate: ['nope'] },
      'telemetry.otlp.propagate[0]',
      'unknown provider "nope" (configured providers: deepseek, zhipu)',
    ],
    [
      { headers: { 'bad header': 'x' } },
      'telemetry.otlp.headers.bad header',
      'is not a valid HTTP header name',
    ],
  ])('rejects %j', (otlp, path, message) => {
    expect(issuesOf(() => parseWith(otlp))).toEqual([{ path, message }]);
  });

  it('names a misspelt key', () => {
    const [issue] = issuesOf(() => parseWith({ sample_rate: 0.5 }));
    expect(issue).toMatchObject({ path: 'telemetry.otlp.sample_rate' });
    expect(issue?.message).toContain('did you mean "sample_ratio"?');
  });
});
