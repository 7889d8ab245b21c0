import { describe, expect, it } from 'vitest';
import { createSwitchboard } from '../../src/switchboard.js';
import { configFor, faultSpecs, hello, onCleanup, startMocks } from '../support/engine.js';
import { OTLP_KIND, type ReceivedSpan, startOtlpReceiver } from '../support/otlp-receiver.js';
import { freePort } from '../support/ports.js';
import { parsePrometheus, sampleValue } from '../support/prometheus.js';
import { CALLER_SPAN_ID, CALLER_TRACE_ID, chat, tracedGateway } from './tracing-setup.js';

describe('tracing: export', () => {
  it('speaks http/protobuf by default, with the collector headers, service name and resource attributes', async () => {
    const { gateway, receiver, tracing } = await tracedGateway({
      faults: { a: 'ok' },
      otlp: { headers: { 'x-collector-key': 'collector-secret-123' } },
      env: { OTEL_SERVICE_NAME: 'gw-eu', OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment=test,team=llm' },
    });
    const res = await chat(gateway.url, hello('main', { stream: true }));
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('[DONE]');
    await tracing.flush();
    expect(receiver.requests.length).toBeGreaterThan(0);
    for (const r of receiver.requests) {
      expect(r.path).toBe('/v1/traces');
      expect(r.contentType).toBe('application/x-protobuf');
      expect(r.headers['x-collector-key']).toBe('collector-secret-123');
    }
    const server = receiver.spans.find((s) => s.kind === OTLP_KIND.server) as ReceivedSpan;
    expect(server.resource).toMatchObject({
      'service.name': 'gw-eu',
      'deployment.environment': 'test',
      team: 'llm',
    });
    expect(server.attributes).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.request.model': 'main',
      'gen_ai.response.model': 'a',
      'switchboard.stream': true,
      'switchboard.chain': ['a'],
      'switchboard.fallbacks': 0,
    });
    expect(typeof server.attributes['switchboard.time_to_first_token_ms']).toBe('number');
    expect(server.attributes['gen_ai.usage.output_tokens']).toBeGreaterThan(0);
    const [attempt] = receiver.spans.filter((s) => s.kind === OTLP_KIND.client);
    expect(attempt?.parentSpanId).toBe(server.spanId);
    expect(attempt?.attributes['switchboard.attempt.outcome']).toBe('success');
  });

  it('a dead collector leaves requests unaffected and counts the dropped spans', async () => {
    const deadPort = await freePort();
    const { gateway, mocks, tracing } = await tracedGateway({
      faults: { a: '503', b: 'ok' },
      endpoint: `http://127.0.0.1:${deadPort}`,
      env: { OTEL_EXPORTER_OTLP_TIMEOUT: '300', OTEL_BSP_SCHEDULE_DELAY: '10' },
      overrides: { retry: { max_retries: 0, base_delay_ms: 1, max_delay_ms: 5 } },
    });
    for (let i = 0; i < 3; i++) {
      const res = await chat(gateway.url, hello('main'));
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ choices: [{ message: { content: 'Answer from b.' } }] });
    }
    expect(mocks.b?.stats().requests).toBe(3);
    // 3 server spans + 6 attempts, none delivered.
    const deadline = Date.now() + 10_000;
    let dropped = 0;
    while (Date.now() < deadline) {
      await tracing.flush().catch(() => {});
      const metrics = parsePrometheus(await (await fetch(`${gateway.url}/metrics`)).text());
      dropped = sampleValue(metrics, 'switchboard_trace_spans_dropped_total') ?? 0;
      if (dropped >= 9) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(dropped).toBe(9);
    expect(tracing.droppedSpans).toBe(9);
  });
});

describe('tracing: propagation and sampling', () => {
  it('propagate: false sends no trace headers upstream', async () => {
    const { gateway, mocks, receiver, tracing } = await tracedGateway({
      faults: { a: 'ok' },
      otlp: { protocol: 'http/json', propagate: false },
    });
    await chat(gateway.url, hello('main'), { traceparent: `00-${CALLER_TRACE_ID}-${CALLER_SPAN_ID}-01` });
    await tracing.flush();
    expect(receiver.spans).toHaveLength(2);
    expect(mocks.a?.stats().log[0]).not.toHaveProperty('traceparent');
  });

  it('a propagate list names the providers that get them', async () => {
    const { gateway, mocks } = await tracedGateway({
      faults: { a: '503', b: 'ok' },
      otlp: { protocol: 'http/json', propagate: ['p-b'] },
      overrides: { retry: { max_retries: 0, base_delay_ms: 1, max_delay_ms: 5 } },
    });
    await chat(gateway.url, hello('main'));
    expect(mocks.a?.stats().log[0]).not.toHaveProperty('traceparent');
    expect(mocks.b?.stats().log[0]?.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
  });

  it('sample_ratio: 0 records no new trace, but follows a caller that sampled its own', async () => {
    const { gateway, mocks, receiver, tracing } = await tracedGateway({
      faults: { a: 'ok' },
      otlp: { protocol: 'http/json', sample_ratio: 0 },
    });
    await chat(gateway.url, hello('main'));
    await tracing.flush();
    expect(receiver.spans).toHaveLength(0);
    // Not recorded, yet the upstream still learns the (unsampled) context.
    expect(mocks.a?.stats().log[0]?.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-00$/);

    await chat(gateway.url, hello('main'), { traceparent: `00-${CALLER_TRACE_ID}-${CALLER_SPAN_ID}-01` });
    await tracing.flush();
    expect(receiver.spans.map((s) => s.traceId)).toEqual([CALLER_TRACE_ID, CALLER_TRACE_ID]);
  });

  it('a malformed traceparent starts a new trace', async () => {
    const { gateway, receiver, tracing } = await tracedGateway({
      faults: { a: 'ok' },
      otlp: { protocol: 'http/json' },
    });
    const res = await chat(gateway.url, hello('main'), { traceparent: 'not-a-trace-context' });
    expect(res.status).toBe(200);
    await tracing.flush();
    const server = receiver.spans.find((s) => s.kind === OTLP_KIND.server);
    expect(server?.parentSpanId).toBeUndefined();
    expect(server?.traceId).toMatch(/^[0-9a-f]{32}$/);
  });
});

describe('tracing: the library face', () => {
  it('sb.fetch continues the caller trace as the gateway does; sb.chat takes it as an option', async () => {
    const { mocks, close } = await startMocks(faultSpecs({ a: 'ok' }));
    onCleanup(close);
    const receiver = await startOtlpReceiver();
    onCleanup(() => receiver.close());
    const sb = createSwitchboard(
      configFor(mocks, { telemetry: { otlp: { endpoint: receiver.url, protocol: 'http/json' } } }),
      { logger: false, env: {} },
    );
    onCleanup(() => sb.close());
    const res = await sb.fetch('http://switchboard/v1/chat/completions', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        traceparent: `00-${CALLER_TRACE_ID}-${CALLER_SPAN_ID}-01`,
      },
      body: JSON.stringify(hello('main')),
    });
    expect(res.status).toBe(200);
    const otherSpan = 'b7ad6b7169203331';
    await sb.chat(hello('main'), { trace: { traceparent: `00-${CALLER_TRACE_ID}-${otherSpan}-01` } });
    await sb.tracing?.flush();
    const servers = receiver.spans.filter((s) => s.kind === OTLP_KIND.server);
    expect(servers.map((s) => [s.traceId, s.parentSpanId])).toEqual([
      [CALLER_TRACE_ID, CALLER_SPAN_ID],
      [CALLER_TRACE_ID, otherSpan],
    ]);
  });
});
