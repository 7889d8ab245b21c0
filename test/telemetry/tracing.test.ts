import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { hello } from '../support/engine.js';
import { OTLP_KIND, OTLP_STATUS, type ReceivedSpan } from '../support/otlp-receiver.js';
import { CALLER_SPAN_ID, CALLER_TRACE_ID, CALLER_TRACEPARENT, chat, tracedGateway } from './tracing-setup.js';

describe('tracing: a request that retried and fell back is one trace', () => {
  it('has a server span continuing the caller, one child per attempt, GenAI attributes, span events', async () => {
    const { gateway, mocks, receiver, tracing } = await tracedGateway({
      faults: { a: '503', b: 'ok' },
      otlp: { protocol: 'http/json' },
    });
    const res = await chat(gateway.url, hello('main'), {
      traceparent: CALLER_TRACEPARENT,
      tracestate: 'vendor=abc',
    });
    expect(res.status).toBe(200);
    expect(
      ((await res.json()) as { choices: Array<{ message: { content: string } }> }).choices[0]?.message
        .content,
    ).toBe('Answer from b.');
    await tracing.flush();
    expect(receiver.requests.every((r) => r.path === '/v1/traces' && r.contentType.includes('json'))).toBe(
      true,
    );

    const spans = receiver.spans;
    const servers = spans.filter((s) => s.kind === OTLP_KIND.server);
    expect(servers).toHaveLength(1);
    const server = servers[0] as ReceivedSpan;
    expect(server).toMatchObject({
      traceId: CALLER_TRACE_ID,
      parentSpanId: CALLER_SPAN_ID,
      name: 'chat main',
      status: { code: OTLP_STATUS.unset },
    });
    expect(server.attributes).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.request.model': 'main',
      'gen_ai.response.model': 'b',
      'gen_ai.provider.name': 'p-b',
      'switchboard.model': 'b',
      'switchboard.provider': 'p-b',
      'switchboard.route': 'main',
      'switchboard.chain': ['a', 'b'],
      'switchboard.stream': false,
      'switchboard.attempts': 4,
      'switchboard.fallbacks': 1,
      'switchboard.retries': 2,
    });
    expect(server.attributes['gen_ai.usage.input_tokens']).toBeGreaterThan(0);
    expect(server.attributes['gen_ai.usage.output_tokens']).toBeGreaterThan(0);
    expect(server.attributes['switchboard.cost_usd']).toBeGreaterThan(0);
    expect(server.resource).toMatchObject({ 'service.name': 'switchboard' });

    const attempts = spans.filter((s) => s.kind === OTLP_KIND.client);
    expect(attempts).toHaveLength(4);
    for (const attempt of attempts) {
      expect(attempt.traceId).toBe(CALLER_TRACE_ID);
      expect(attempt.parentSpanId).toBe(server.spanId);
    }
    const onA = attempts.filter((s) => s.attributes['switchboard.model'] === 'a');
    expect(onA.map((s) => s.attributes['switchboard.attempt.retry']).sort()).toEqual([0, 1, 2]);
    for (const failed of onA) {
      expect(failed.name).toBe('chat a');
      expect(failed.status.code).toBe(OTLP_STATUS.error);
      expect(failed.attributes).toMatchObject({
        'gen_ai.operation.name': 'chat',
        'gen_ai.request.model': 'a',
        'gen_ai.provider.name': 'p-a',
        'switchboard.provider': 'p-a',
        'switchboard.attempt.outcome': 'error',
        'switchboard.attempt.hedge': false,
        'switchboard.attempt.probe': false,
        'error.type': 'http_503',
        'http.response.status_code': 503,
      });
    }
    const onB = attempts.filter((s) => s.attributes['switchboard.model'] === 'b');
    expect(onB).toHaveLength(1);
    expect(onB[0]?.status.code).toBe(OTLP_STATUS.unset);
    expect(onB[0]?.attributes).toMatchObject({
      'switchboard.attempt.outcome': 'success',
      'switchboard.attempt.retry': 0,
      'gen_ai.response.model': 'b',
    });
    expect(onB[0]?.attributes).not.toHaveProperty('error.type');

    const events = server.events.map((e) => e.name);
    expect(events.filter((e) => e === 'switchboard.retry.scheduled')).toHaveLength(2);
    expect(server.events.find((e) => e.name === 'switchboard.fallback')?.attributes).toMatchObject({
      'switchboard.fallback.from': 'a',
      'switchboard.fallback.to': 'b',
    });

    // Each upstream call carried its own attempt's context, and the caller's tracestate.
    const sent = [...(mocks.a?.stats().log ?? []), ...(mocks.b?.stats().log ?? [])];
    expect(sent).toHaveLength(4);
    const attemptIds = new Set(attempts.map((s) => s.spanId));
    for (const entry of sent) {
      const [version, traceId, spanId, flags] = (entry.traceparent ?? '').split('-');
      expect({ version, traceId, flags }).toEqual({ version: '00', traceId: CALLER_TRACE_ID, flags: '01' });
      expect(attemptIds.has(spanId as string)).toBe(true);
      expect(entry.tracestate).toBe('vendor=abc');
    }
    expect(new Set(sent.map((e) => e.traceparent)).size).toBe(4);
  });

  it('starts a new trace without a traceparent; a breaker that opens is an event of the request that opened it', async () => {
    const { gateway, receiver, tracing } = await tracedGateway({
      faults: { a: '503', b: 'ok' },
      otlp: { protocol: 'http/json' },
      overrides: {
        retry: { max_retries: 0, base_delay_ms: 1, max_delay_ms: 5 },
        circuit_breaker: {
          failure_threshold: 1,
          window_ms: 60_000,
          cooldown_ms: 60_000,
          max_cooldown_ms: 60_000,
        },
      },
    });
    const client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'none', maxRetries: 0 });
    await client.chat.completions.create({ model: 'main', messages: [{ role: 'user', content: 'one' }] });
    await client.chat.completions.create({ model: 'main', messages: [{ role: 'user', content: 'two' }] });
    await tracing.flush();
    const servers = receiver.spans.filter((s) => s.kind === OTLP_KIND.server);
    expect(servers).toHaveLength(2);
    const [first, second] = servers as [ReceivedSpan, ReceivedSpan];
    expect(first.parentSpanId).toBeUndefined();
    expect(first.traceId).not.toBe(second.traceId);
    expect(first.events.find((e) => e.name === 'switchboard.breaker.transition')?.attributes).toMatchObject({
      'switchboard.model': 'a',
      'switchboard.breaker.from': 'closed',
      'switchboard.breaker.to': 'open',
    });
    expect(second.events.find((e) => e.name === 'switchboard.model.skipped')?.attributes).toMatchObject({
      'switchboard.model': 'a',
      'switchboard.skip.reason': 'breaker_open',
    });
    expect(
      receiver.spans.filter((s) => s.traceId === second.traceId && s.kind === OTLP_KIND.client),
    ).toHaveLength(1);
  });

  it('a failed request ends its server span with error.type and an error status', async () => {
    const { gateway, receiver, tracing } = await tracedGateway({
      faults: { a: '503', b: '500' },
      otlp: { protocol: 'http/json' },
      overrides: { retry: { max_retries: 0, base_delay_ms: 1, max_delay_ms: 5 } },
    });
    const res = await chat(gateway.url, hello('main'));
    expect(res.status).toBeGreaterThanOrEqual(500);
    await tracing.flush();
    const server = receiver.spans.find((s) => s.kind === OTLP_KIND.server);
    expect(server?.status.code).toBe(OTLP_STATUS.error);
    expect(server?.attributes['error.type']).toBe('all_models_failed');
    expect(
      receiver.spans.filter((s) => s.kind === OTLP_KIND.client).map((s) => s.attributes['error.type']),
    ).toEqual(['http_503', 'http_500']);
  });
});
