import { register as globalRegistry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { parsePrometheus, type Sample, sampleValue } from '../../test/support/prometheus.js';
import { ManualClock } from '../common/manual-clock.js';
import type { ModelConfig, SwitchboardConfig } from '../config/types.js';
import type { ResultMetadata } from '../routing/index.js';
import { EventBus, ModelHealth, type SwitchboardEvent } from '../routing/index.js';
import { GatewayMetrics } from './metrics.js';

const SECRET = 'sk-secret-123';
const BASE_URL = 'https://alpha.internal.example/v1';

function model(id: string, provider: string, fallbacks: string[] = []): ModelConfig {
  return {
    id,
    provider,
    upstreamModel: `${id}-upstream`,
    assistantPrefill: true,
    price: { inputUsdPer1M: 1, outputUsdPer1M: 2 },
    fallbacks,
    retry: { maxRetries: 1, baseDelayMs: 100, maxDelayMs: 1_000, maxRetryAfterMs: 5_000 },
    circuitBreaker: { failureThreshold: 3, windowMs: 10_000, cooldownMs: 5_000, maxCooldownMs: 60_000 },
    timeouts: {
      connectMs: 1_000,
      firstByteMs: 5_000,
      attemptMs: 30_000,
      totalMs: 60_000,
      firstTokenMs: 10_000,
      stallMs: 10_000,
    },
  };
}

/** A hand-made resolved config: providers alpha (with a key) and beta; models a1, a2, b1; routes main, fast. */
function makeConfig(): SwitchboardConfig {
  const a1 = model('a1', 'alpha', ['b1']);
  return {
    providers: {
      alpha: {
        id: 'alpha',
        type: 'openai',
        baseUrl: BASE_URL,
        apiKey: SECRET,
        headers: {},
        maxConnections: 8,
      },
      beta: {
        id: 'beta',
        type: 'openai',
        baseUrl: 'http://127.0.0.1:9999/v1',
        headers: {},
        maxConnections: 8,
      },
    },
    models: { a1, a2: model('a2', 'alpha'), b1: model('b1', 'beta') },
    routes: {
      main: {
        id: 'main',
        models: ['a1', 'b1', 'a2'],
        weights: [1, 1, 1],
        strategy: 'ordered',
        streamRecovery: 'continue',
        fallbackOnContentPolicy: false,
      },
      fast: {
        id: 'fast',
        models: ['b1'],
        weights: [1],
        strategy: 'ordered',
        streamRecovery: 'continue',
        fallbackOnContentPolicy: false,
      },
    },
    defaultRoute: 'main',
    retry: a1.retry,
    circuitBreaker: a1.circuitBreaker,
    timeouts: a1.timeouts,
    retryBudget: { ratio: 0.2, minRetriesPerWindow: 10, windowMs: 10_000 },
    server: { host: '127.0.0.1', port: 0, apiKeys: ['client-key-456'], maxBodyBytes: 1_000_000 },
    logging: { level: 'silent' },
  };
}

function setup(options: { processMetrics?: boolean } = {}) {
  const config = makeConfig();
  const clock = new ManualClock(1_700_000_000_000);
  const bus = new EventBus();
  const health = new ModelHealth(config, clock, bus);
  const metrics = new GatewayMetrics(config, health, options);
  const detach = metrics.attach(bus);
  return { config, clock, bus, health, metrics, detach };
}

function meta(overrides: Partial<ResultMetadata> = {}): ResultMetadata {
  return {
    requestId: 'r1',
    route: 'main',
    chain: ['a1', 'b1', 'a2'],
    attempts: [],
    skipped: [],
    fallbacks: 0,
    retries: 0,
    latencyMs: 0,
    costUsd: 0,
    wastedCostUsd: 0,
    malformedChunks: 0,
    hedges: 0,
    recoveries: [],
    hedgeCostUsd: 0,
    ...overrides,
  };
}

async function scrape(metrics: GatewayMetrics): Promise<Sample[]> {
  return parsePrometheus((await metrics.render()).body);
}

describe('GatewayMetrics', () => {
  it('renders Prometheus text with label sets from the config already at 0', async () => {
    const { metrics } = setup();
    const { contentType, body } = await metrics.render();
    expect(contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    const s = parsePrometheus(body);
    expect(
      sampleValue(s, 'switchboard_requests_total', {
        route: 'main',
        model: 'a2',
        provider: 'alpha',
        outcome: 'success',
      }),
    ).toBe(0);
    expect(
      sampleValue(s, 'switchboard_requests_total', {
        route: 'fast',
        model: 'b1',
        provider: 'beta',
        outcome: 'success',
      }),
    ).toBe(0);
    expect(
      sampleValue(s, 'switchboard_requests_total', {
        route: 'fast',
        model: 'a1',
        provider: 'alpha',
        outcome: 'success',
      }),
    ).toBeUndefined();
    expect(
      sampleValue(s, 'switchboard_requests_total', {
        route: '',
        model: 'a2',
        provider: 'alpha',
        outcome: 'success',
      }),
    ).toBe(0);
    expect(
      sampleValue(s, 'switchboard_upstream_attempts_total', {
        model: 'b1',
        provider: 'beta',
        outcome: 'success',
        error_kind: '',
      }),
    ).toBe(0);
    expect(sampleValue(s, 'switchboard_model_skipped_total', { model: 'a1', reason: 'cooling_down' })).toBe(
      0,
    );
    expect(
      sampleValue(s, 'switchboard_breaker_transitions_total', { model: 'a1', from: 'closed', to: 'open' }),
    ).toBe(0);
    expect(sampleValue(s, 'switchboard_breaker_state', { model: 'a1' })).toBe(0);
    expect(sampleValue(s, 'switchboard_cooldown_until_seconds', { model: 'b1' })).toBe(0);
    expect(sampleValue(s, 'switchboard_in_flight_requests')).toBe(0);
    expect(sampleValue(s, 'process_cpu_user_seconds_total')).toBeGreaterThanOrEqual(0);
  });

  it('counts a successful request: outcome, latency, time to first token, tokens and cost', async () => {
    const { bus, metrics } = setup();
    bus.emit({
      type: 'request.succeeded',
      requestId: 'r1',
      metadata: meta({
        model: 'b1',
        provider: 'beta',
        latencyMs: 1_500,
        timeToFirstTokenMs: 300,
        usage: { prompt_tokens: 10, completion_tokens: 20, total_tokens: 30 },
        costUsd: 0.25,
        fallbacks: 1,
      }),
    });
    const s = await scrape(metrics);
    const rm = { route: 'main', model: 'b1' };
    expect(
      sampleValue(s, 'switchboard_requests_total', { ...rm, provider: 'beta', outcome: 'success' }),
    ).toBe(1);
    expect(sampleValue(s, 'switchboard_request_duration_seconds_count', rm)).toBe(1);
    expect(sampleValue(s, 'switchboard_request_duration_seconds_sum', rm)).toBe(1.5);
    expect(sampleValue(s, 'switchboard_request_duration_seconds_bucket', { ...rm, le: '1' })).toBe(0);
    expect(sampleValue(s, 'switchboard_request_duration_seconds_bucket', { ...rm, le: '2.5' })).toBe(1);
    expect(sampleValue(s, 'switchboard_request_duration_seconds_bucket', { ...rm, le: '120' })).toBe(1);
    expect(sampleValue(s, 'switchboard_request_duration_seconds_bucket', { ...rm, le: '+Inf' })).toBe(1);
    expect(sampleValue(s, 'switchboard_time_to_first_token_seconds_sum', rm)).toBe(0.3);
    expect(sampleValue(s, 'switchboard_time_to_first_token_seconds_bucket', { ...rm, le: '0.25' })).toBe(0);
    expect(sampleValue(s, 'switchboard_time_to_first_token_seconds_bucket', { ...rm, le: '0.5' })).toBe(1);
    expect(sampleValue(s, 'switchboard_tokens_total', { model: 'b1', kind: 'prompt' })).toBe(10);
    expect(sampleValue(s, 'switchboard_tokens_total', { model: 'b1', kind: 'completion' })).toBe(20);
    expect(sampleValue(s, 'switchboard_cost_usd_total', { model: 'b1', provider: 'beta' })).toBe(0.25);
    expect(sampleValue(s, 'switchboard_wasted_cost_usd_total', { model: 'b1' })).toBe(0);
  });

  it('labels a failed request with its code and empty model/provider when nothing answered', async () => {
    const { bus, metrics } = setup();
    const failed = (code: string, metadata: ResultMetadata): SwitchboardEvent => ({
      type: 'request.failed',
      requestId: 'r',
      code,
      message: 'x',
      metadata,
    });
    bus.emit(failed('all_models_failed', meta({ latencyMs: 200 })));
    bus.emit(failed('all_models_failed', meta({ latencyMs: 400 })));
    bus.emit(
      failed(
        'stream_interrupted',
        meta({ route: undefined, model: 'a1', provider: 'alpha', latencyMs: 50, wastedCostUsd: 0.5 }),
      ),
    );
    const s = await scrape(metrics);
    expect(
      sampleValue(s, 'switchboard_requests_total', {
        route: 'main',
        model: '',
        provider: '',
        outcome: 'all_models_failed',
      }),
    ).toBe(2);
    expect(sampleValue(s, 'switchboard_request_duration_seconds_count', { route: 'main', model: '' })).toBe(
      2,
    );
    expect(
      sampleValue(s, 'switchboard_request_duration_seconds_sum', { route: 'main', model: '' }),
    ).toBeCloseTo(0.6);
    expect(
      sampleValue(s, 'switchboard_requests_total', {
        route: '',
        model: 'a1',
        provider: 'alpha',
        outcome: 'stream_interrupted',
      }),
    ).toBe(1);
    expect(sampleValue(s, 'switchboard_wasted_cost_usd_total', { model: 'a1' })).toBe(0.5);
  });

  it('counts attempts, fallbacks, retries, skips, cooldowns and malformed chunks', async () => {
    const { bus, metrics } = setup();
    const attempt = { requestId: 'r', model: 'a1', provider: 'alpha', durationMs: 10, waitBeforeMs: 0 };
    bus.emit({ type: 'attempt.succeeded', ...attempt, outcome: 'success' });
    bus.emit({
      type: 'attempt.failed',
      ...attempt,
      outcome: 'error',
      status: 503,
      errorKind: 'transient',
      errorCode: 'http_503',
    });
    bus.emit({
      type: 'attempt.failed',
      ...attempt,
      outcome: 'error',
      status: 503,
      errorKind: 'transient',
      errorCode: 'http_503',
    });
    bus.emit({
      type: 'attempt.failed',
      ...attempt,
      outcome: 'timeout',
      errorKind: 'transient',
      errorCode: 'timeout',
    });
    bus.emit({ type: 'attempt.failed', ...attempt, outcome: 'cancelled' });
    bus.emit({ type: 'retry.scheduled', requestId: 'r', model: 'a1', delayMs: 100, reason: 'http_503' });
    const fallback = { type: 'fallback', requestId: 'r', reason: 'x' } as const;
    bus.emit({
      ...fallback,
      from: 'a1',
      to: 'b1',
      fromProvider: 'alpha',
      toProvider: 'beta',
      sameProvider: false,
    });
    bus.emit({
      ...fallback,
      from: 'a1',
      to: 'a2',
      fromProvider: 'alpha',
      toProvider: 'alpha',
      sameProvider: true,
    });
    bus.emit({ type: 'model.skipped', requestId: 'r', model: 'a2', reason: 'breaker_open', untilMs: 5 });
    bus.emit({ type: 'model.cooling_down', requestId: 'r', model: 'b1', untilMs: 5, retryAfterMs: 5 });
    bus.emit({ type: 'stream.malformed_chunk', requestId: 'r', model: 'b1' });
    bus.emit({ type: 'stream.malformed_chunk', requestId: 'r', model: 'b1' });
    const s = await scrape(metrics);
    const a = { model: 'a1', provider: 'alpha' };
    expect(
      sampleValue(s, 'switchboard_upstream_attempts_total', { ...a, outcome: 'success', error_kind: '' }),
    ).toBe(1);
    expect(
      sampleValue(s, 'switchboard_upstream_attempts_total', {
        ...a,
        outcome: 'error',
        error_kind: 'transient',
      }),
    ).toBe(2);
    expect(
      sampleValue(s, 'switchboard_upstream_attempts_total', {
        ...a,
        outcome: 'timeout',
        error_kind: 'transient',
      }),
    ).toBe(1);
    expect(
      sampleValue(s, 'switchboard_upstream_attempts_total', { ...a, outcome: 'cancelled', error_kind: '' }),
    ).toBe(1);
    expect(sampleValue(s, 'switchboard_retries_total', { model: 'a1' })).toBe(1);
    expect(sampleValue(s, 'switchboard_retries_total', { model: 'b1' })).toBe(0);
    expect(
      sampleValue(s, 'switchboard_fallbacks_total', { from: 'a1', to: 'b1', same_provider: 'false' }),
    ).toBe(1);
    expect(
      sampleValue(s, 'switchboard_fallbacks_total', { from: 'a1', to: 'a2', same_provider: 'true' }),
    ).toBe(1);
    expect(sampleValue(s, 'switchboard_model_skipped_total', { model: 'a2', reason: 'breaker_open' })).toBe(
      1,
    );
    expect(sampleValue(s, 'switchboard_cooldowns_total', { model: 'b1' })).toBe(1);
    expect(sampleValue(s, 'switchboard_stream_malformed_chunks_total', { model: 'b1' })).toBe(2);
  });

  it('reads breaker states and cooldowns from ModelHealth at scrape time', async () => {
    const { clock, health, metrics } = setup();
    for (let i = 0; i < 3; i++) health.breaker('a1').failure('normal', 'http_503');
    health.coolDown('b1', clock.now() + 30_000);
    let s = await scrape(metrics);
    expect(sampleValue(s, 'switchboard_breaker_state', { model: 'a1' })).toBe(2);
    expect(sampleValue(s, 'switchboard_breaker_state', { model: 'a2' })).toBe(0);
    expect(
      sampleValue(s, 'switchboard_breaker_transitions_total', { model: 'a1', from: 'closed', to: 'open' }),
    ).toBe(1);
    expect(sampleValue(s, 'switchboard_cooldown_until_seconds', { model: 'b1' })).toBe(
      (clock.now() + 30_000) / 1000,
    );

    await clock.advance(5_000); // the breaker's cooldown passes; the cooldown of b1 does not
    s = await scrape(metrics);
    expect(sampleValue(s, 'switchboard_breaker_state', { model: 'a1' })).toBe(1);
    await clock.advance(25_000);
    s = await scrape(metrics);
    expect(sampleValue(s, 'switchboard_cooldown_until_seconds', { model: 'b1' })).toBe(0);
    expect(
      sampleValue(s, 'switchboard_breaker_transitions_total', { model: 'a1', from: 'open', to: 'half_open' }),
    ).toBe(1);
  });

  it('tracks in-flight requests and the gateway overhead', async () => {
    const { metrics } = setup();
    metrics.requestStarted();
    metrics.requestStarted();
    metrics.requestEnded();
    metrics.observeOverhead(12.3, 12.0); // 0.3 ms
    metrics.observeOverhead(5, 6); // clock skew: counted as 0
    metrics.observeOverhead(Number.NaN, 1); // ignored
    const s = await scrape(metrics);
    expect(sampleValue(s, 'switchboard_in_flight_requests')).toBe(1);
    expect(sampleValue(s, 'switchboard_gateway_overhead_seconds_count')).toBe(2);
    expect(sampleValue(s, 'switchboard_gateway_overhead_seconds_bucket', { le: '0.00005' })).toBe(1);
    expect(sampleValue(s, 'switchboard_gateway_overhead_seconds_bucket', { le: '0.00025' })).toBe(1);
    expect(sampleValue(s, 'switchboard_gateway_overhead_seconds_bucket', { le: '0.0005' })).toBe(2);
    expect(sampleValue(s, 'switchboard_gateway_overhead_seconds_sum')).toBeCloseTo(0.0003, 9);
  });

  it('keeps two instances apart and leaves the global registry alone', async () => {
    const one = setup();
    const two = setup();
    one.bus.emit({ type: 'retry.scheduled', requestId: 'r', model: 'a1', delayMs: 1, reason: 'x' });
    one.metrics.requestStarted();
    expect(sampleValue(await scrape(one.metrics), 'switchboard_retries_total', { model: 'a1' })).toBe(1);
    expect(sampleValue(await scrape(two.metrics), 'switchboard_retries_total', { model: 'a1' })).toBe(0);
    expect(sampleValue(await scrape(two.metrics), 'switchboard_in_flight_requests')).toBe(0);
    expect(one.metrics.registry).not.toBe(two.metrics.registry);
    expect(globalRegistry.getSingleMetric('switchboard_requests_total')).toBeUndefined();
  });

  it('stops counting once detached', async () => {
    const { bus, metrics, detach } = setup();
    detach();
    bus.emit({ type: 'retry.scheduled', requestId: 'r', model: 'a1', delayMs: 1, reason: 'x' });
    expect(sampleValue(await scrape(metrics), 'switchboard_retries_total', { model: 'a1' })).toBe(0);
  });

  it('never throws into the engine, whatever the event carries', async () => {
    const config = makeConfig();
    const clock = new ManualClock(0);
    const health = new ModelHealth(config, clock, new EventBus());
    let listener: ((e: SwitchboardEvent) => void) | undefined;
    const spyBus = {
      on: (l: (e: SwitchboardEvent) => void) => {
        listener = l;
        return () => {};
      },
    } as unknown as EventBus;
    const metrics = new GatewayMetrics(config, health, { processMetrics: false });
    metrics.attach(spyBus);
    const bad = meta({
      model: 'a1',
      latencyMs: Number.NaN,
      costUsd: Number.POSITIVE_INFINITY,
      wastedCostUsd: -1,
    });
    expect(() => listener?.({ type: 'request.succeeded', requestId: 'r', metadata: bad })).not.toThrow();
    expect(() =>
      listener?.({ type: 'request.failed', requestId: 'r', code: 'x', message: 'x' } as never),
    ).not.toThrow();
    const s = await scrape(metrics);
    expect(
      sampleValue(s, 'switchboard_requests_total', {
        route: 'main',
        model: 'a1',
        provider: '',
        outcome: 'success',
      }),
    ).toBe(1);
    expect(sampleValue(s, 'switchboard_cost_usd_total', { model: 'a1', provider: 'alpha' })).toBe(0);
    expect(sampleValue(s, 'process_cpu_user_seconds_total')).toBeUndefined();
  });

  it('never exposes provider keys, base URLs or client keys', async () => {
    const { bus, health, metrics } = setup();
    bus.emit({
      type: 'attempt.failed',
      requestId: 'r',
      model: 'a1',
      provider: 'alpha',
      outcome: 'error',
      status: 401,
      errorKind: 'provider',
      errorCode: 'http_401',
      message: `Incorrect API key provided: ${SECRET}`,
      durationMs: 3,
      waitBeforeMs: 0,
    });
    for (let i = 0; i < 3; i++) health.breaker('a2').failure('normal');
    const { body } = await metrics.render();
    expect(body).not.toContain(SECRET);
    expect(body).not.toContain(BASE_URL);
    expect(body).not.toContain('client-key-456');
  });
});
