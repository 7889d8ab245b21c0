import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { systemClock } from '../../src/common/clock.js';
import { parseConfig } from '../../src/config/index.js';
import { createProvider } from '../../src/providers/create-provider.js';
import { RetryBudget } from '../../src/resilience/retry-budget.js';
import { Engine, EventBus, ModelHealth } from '../../src/routing/index.js';
import { attachLogger, createLogger } from '../../src/telemetry/logger.js';
import { createTracing } from '../../src/telemetry/tracing/index.js';
import { configFor, faultSpecs, hello, onCleanup, startMocks } from '../support/engine.js';
import { startOtlpReceiver } from '../support/otlp-receiver.js';
import { CALLER_SPAN_ID, CALLER_TRACE_ID, CALLER_TRACEPARENT } from './tracing-setup.js';

/** The engine, the tracer and the logger wired as createSwitchboard wires them, logging into `lines`. */
async function tracedEngine(overrides: Record<string, unknown> = {}) {
  const { mocks, close } = await startMocks(faultSpecs({ a: '503', b: 'ok' }));
  onCleanup(close);
  const receiver = await startOtlpReceiver();
  onCleanup(() => receiver.close());
  const config = parseConfig(
    configFor(mocks, {
      retry: { max_retries: 0, base_delay_ms: 1, max_delay_ms: 5 },
      telemetry: { otlp: { endpoint: receiver.url, protocol: 'http/json' } },
      ...overrides,
    }),
    { env: {} },
  );
  const tracing = createTracing(config, {});
  if (!tracing) throw new Error('tracing is off');
  onCleanup(() => tracing.close());
  const lines: Array<Record<string, unknown>> = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  const bus = new EventBus();
  tracing.attach(bus);
  attachLogger(bus, createLogger('debug', destination, tracing.logMixin));
  const providers = new Map(
    Object.values(config.providers).map((p) => [p.id, createProvider({ ...p, connectTimeoutMs: 1_000 })]),
  );
  onCleanup(() => Promise.all([...providers.values()].map((p) => p.close())));
  const health = new ModelHealth(config, systemClock, bus);
  onCleanup(() => health.close());
  const engine = new Engine({
    config,
    providers,
    health,
    budget: new RetryBudget(config.retryBudget, systemClock),
    bus,
    clock: systemClock,
    random: () => 0,
    traceHeaders: tracing.traceHeaders,
  });
  return { engine, lines, tracing, receiver };
}

describe('tracing: log lines', () => {
  it('carry the trace id and the span they belong to (attempt lines: the attempt)', async () => {
    const { engine, lines, tracing, receiver } = await tracedEngine();
    await engine.chat(hello('main'), { requestId: 'req-1', trace: { traceparent: CALLER_TRACEPARENT } });
    await tracing.flush();
    const ofRequest = lines.filter((l) => l.requestId === 'req-1');
    expect(ofRequest.map((l) => l.type)).toEqual([
      'request.started',
      'attempt.started',
      'attempt.failed',
      'fallback',
      'attempt.started',
      'attempt.succeeded',
      'request.succeeded',
    ]);
    for (const line of ofRequest) expect(line.trace_id).toBe(CALLER_TRACE_ID);
    const spanOf = (type: string) => ofRequest.find((l) => l.type === type)?.span_id;
    const server = receiver.spans.find((s) => s.parentSpanId === CALLER_SPAN_ID);
    const attemptOn = (model: string) =>
      receiver.spans.find((s) => s.attributes['switchboard.model'] === model && s.kind === 3)?.spanId;
    expect(spanOf('request.started')).toBe(server?.spanId);
    expect(spanOf('attempt.failed')).toBe(attemptOn('a'));
    expect(spanOf('attempt.succeeded')).toBe(attemptOn('b'));
  });

  it('a line about no request (a breaker opening) carries no trace fields', async () => {
    const { lines, engine } = await tracedEngine({
      circuit_breaker: {
        failure_threshold: 1,
        window_ms: 60_000,
        cooldown_ms: 60_000,
        max_cooldown_ms: 60_000,
      },
    });
    await engine.chat(hello('main'));
    const other = lines.filter((l) => l.requestId === undefined);
    expect(other.map((l) => l.type)).toContain('breaker.transition');
    for (const line of other) expect(line).not.toHaveProperty('trace_id');
  });
});
