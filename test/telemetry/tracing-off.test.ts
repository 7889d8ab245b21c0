import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { startGateway } from '../../src/gateway.js';
import { configFor, faultSpecs, hello, onCleanup, startMocks } from '../support/engine.js';
import { CALLER_TRACEPARENT, chat } from './tracing-setup.js';

const require = createRequire(import.meta.url);
const sdkLoaded = () => Object.keys(require.cache).some((path) => path.includes('@opentelemetry/sdk-trace'));

describe('tracing: off by default', () => {
  it('loads nothing of OpenTelemetry, passes no trace headers on, and has no drop metric', async () => {
    const { mocks, close } = await startMocks(faultSpecs({ a: 'ok' }));
    onCleanup(close);
    // OTEL_* variables alone (set for other apps on the host) do not turn it on.
    const gateway = await startGateway(configFor(mocks), {
      logger: false,
      port: 0,
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:1' },
    });
    onCleanup(() => gateway.close(1_000));
    expect(gateway.switchboard.tracing).toBeUndefined();
    const res = await chat(gateway.url, hello('main'), { traceparent: CALLER_TRACEPARENT });
    expect(res.status).toBe(200);
    expect(mocks.a?.stats().log[0]).not.toHaveProperty('traceparent');
    expect(await (await fetch(`${gateway.url}/metrics`)).text()).not.toContain('trace_spans_dropped');
    expect(sdkLoaded()).toBe(false);
  });

  it('OTEL_SDK_DISABLED=true turns off a configured tracer; OTEL_TRACES_EXPORTER=otlp turns one on', async () => {
    const { mocks, close } = await startMocks(faultSpecs({ a: 'ok' }));
    onCleanup(close);
    const off = await startGateway(configFor(mocks, { telemetry: { otlp: {} } }), {
      logger: false,
      port: 0,
      env: { OTEL_SDK_DISABLED: 'true' },
    });
    onCleanup(() => off.close(1_000));
    expect(off.switchboard.tracing).toBeUndefined();
    const on = await startGateway(configFor(mocks), {
      logger: false,
      port: 0,
      env: { OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' },
    });
    onCleanup(() => on.close(1_000));
    expect(on.switchboard.tracing?.settings.url).toBe('http://127.0.0.1:4318/v1/traces');
    expect(sdkLoaded()).toBe(true); // the check above can fail
  });
});
