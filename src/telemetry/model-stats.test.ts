import { describe, expect, it } from 'vitest';
import { ManualClock } from '../common/manual-clock.js';
import type { ModelConfig, SwitchboardConfig } from '../config/types.js';
import type { AttemptRecord, ResultMetadata } from '../routing/index.js';
import { EventBus, ModelHealth } from '../routing/index.js';
import { AttemptWindow, nearestRank } from './attempt-window.js';
import { ModelStats } from './model-stats.js';

const SECRET = 'sk-secret-123';
const BASE_URL = 'https://alpha.internal.example/v1';
const T0 = Date.UTC(2025, 0, 2, 3, 4, 5);

function model(id: string, provider: string): ModelConfig {
  return {
    id,
    provider,
    upstreamModel: `${id}-upstream`,
    assistantPrefill: true,
    fallbacks: [],
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

/** A hand-made resolved config: providers alpha (with a key and an auth header) and beta; models a1, a2, b1. */
function makeConfig(): SwitchboardConfig {
  const a1 = model('a1', 'alpha');
  return {
    providers: {
      alpha: {
        id: 'alpha',
        type: 'openai',
        baseUrl: BASE_URL,
        apiKey: SECRET,
        headers: { 'x-api-key': 'hdr-secret-789' },
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

function setup(windowSize?: number) {
  const config = makeConfig();
  const clock = new ManualClock(T0);
  const bus = new EventBus();
  const health = new ModelHealth(config, clock, bus);
  const stats = new ModelStats(config, health, clock, windowSize === undefined ? {} : { windowSize });
  const detach = stats.attach(bus);
  const provider = (m: string) => config.models[m]?.provider ?? '';
  const ok = (m: string, durationMs: number) =>
    bus.emit({
      type: 'attempt.succeeded',
      requestId: 'r',
      model: m,
      provider: provider(m),
      outcome: 'success',
      durationMs,
      waitBeforeMs: 0,
    });
  const fail = (m: string, durationMs: number, extra: Partial<AttemptRecord> = {}) =>
    bus.emit({
      type: 'attempt.failed',
      requestId: 'r',
      model: m,
      provider: provider(m),
      outcome: 'error',
      errorKind: 'transient',
      errorCode: 'http_503',
      status: 503,
      durationMs,
      waitBeforeMs: 0,
      ...extra,
    });
  return { config, clock, bus, health, stats, detach, ok, fail };
}

describe('ModelStats', () => {
  it('lists every configured model and route, empty at first', () => {
    const { stats } = setup();
    const snap = stats.snapshot();
    expect(snap.generated_at).toBe('2025-01-02T03:04:05.000Z');
    expect(Object.keys(snap.models).sort()).toEqual(['a1', 'a2', 'b1']);
    expect(snap.models.b1).toEqual({
      provider: 'beta',
      breaker: { state: 'closed', failures_in_window: 0, cooldown_ms: 5_000, reopen_at: null },
      cooling_down_until: null,
      recent: { attempts: 0, success_rate: null, latency_ms: null },
      last_error: null,
      recovery: {
        health_probe: {
          enabled: true,
          interval_ms: 10_000,
          sent: 0,
          failed: 0,
          cost_usd: 0,
          last_at: null,
          last_outcome: null,
        },
        deadlines: { first_token_ms: 10_000, attempt_ms: 30_000, learnt: false },
        context_window: { tokens: null, source: null },
        outages: [],
      },
    });
    expect(snap.routes).toEqual({ main: { chain: ['a1', 'b1', 'a2'] }, fast: { chain: ['b1'] } });
  });

  it('computes success rate and nearest-rank latency percentiles over recent attempts', () => {
    const { stats, ok, fail } = setup();
    // Durations 10..200 ms in a shuffled order; every fourth one fails.
    const durations = Array.from({ length: 20 }, (_, i) => (i + 1) * 10);
    const order = [...durations].sort((x, y) => ((x * 7919) % 23) - ((y * 7919) % 23));
    order.forEach((d, i) => {
      if (i % 4 === 3) fail('a1', d);
      else ok('a1', d);
    });
    const recent = stats.snapshot().models.a1?.recent;
    expect(recent?.attempts).toBe(20);
    expect(recent?.success_rate).toBe(15 / 20);
    // Nearest rank: p50 = ceil(0.5 * 20) = 10th value, p95 = ceil(0.95 * 20) = 19th value.
    expect(recent?.latency_ms).toEqual({ p50: 100, p95: 190 });
    expect(stats.snapshot().models.a2?.recent.attempts).toBe(0);
  });

  it('keeps only the last windowSize attempts', () => {
    const { stats, ok, fail } = setup(4);
    fail('b1', 1_000);
    fail('b1', 2_000);
    for (const d of [10, 20, 30]) ok('b1', d);
    fail('b1', 40);
    const recent = stats.snapshot().models.b1?.recent;
    expect(recent?.attempts).toBe(4);
    expect(recent?.success_rate).toBe(0.75);
    expect(recent?.latency_ms).toEqual({ p50: 20, p95: 40 });
  });

  it('records the last error, redacting configured secrets', async () => {
    const { stats, clock, fail } = setup();
    fail('a1', 5, {
      status: 401,
      errorKind: 'provider',
      errorCode: 'http_401',
      message: `bad key ${SECRET} via ${BASE_URL}`,
    });
    await clock.advance(2_500);
    fail('a2', 30_000, { outcome: 'timeout', status: undefined, errorCode: 'timeout', message: undefined });
    const snap = stats.snapshot();
    expect(snap.models.a1?.last_error).toEqual({
      at: '2025-01-02T03:04:05.000Z',
      status: 401,
      error: 'http_401',
      message: 'bad key [redacted] via [redacted]',
    });
    expect(snap.models.a2?.last_error).toEqual({
      at: '2025-01-02T03:04:07.500Z',
      status: null,
      error: 'timeout',
      message: null,
    });
    expect(snap.models.b1?.last_error).toBeNull();
  });

  it('ignores cancelled attempts: the caller left, the model gave no verdict', () => {
    const { stats, ok, fail } = setup();
    ok('a1', 10);
    fail('a1', 99, { outcome: 'cancelled', errorKind: undefined, errorCode: undefined, status: undefined });
    const a1 = stats.snapshot().models.a1;
    expect(a1?.recent).toEqual({ attempts: 1, success_rate: 1, latency_ms: { p50: 10, p95: 10 } });
    expect(a1?.last_error).toBeNull();
  });

  it('turns a stream that broke after content into a failure', () => {
    const { bus, stats, ok } = setup();
    ok('b1', 10);
    ok('b1', 20);
    const attempt: AttemptRecord = {
      model: 'b1',
      provider: 'beta',
      outcome: 'error',
      errorKind: 'transient',
      errorCode: 'stream_broken',
      message: 'stream broke after content was sent',
      durationMs: 20,
      waitBeforeMs: 0,
    };
    const metadata: ResultMetadata = {
      requestId: 'r',
      chain: ['b1'],
      model: 'b1',
      provider: 'beta',
      attempts: [attempt],
      skipped: [],
      fallbacks: 0,
      retries: 0,
      latencyMs: 500,
      costUsd: 0,
      wastedCostUsd: 0,
      malformedChunks: 0,
      hedges: 0,
      recoveries: [],
      hedgeCostUsd: 0,
    };
    bus.emit({
      type: 'request.failed',
      requestId: 'r',
      code: 'stream_interrupted',
      message: 'broke',
      metadata,
    });
    const b1 = stats.snapshot().models.b1;
    expect(b1?.recent.attempts).toBe(2);
    expect(b1?.recent.success_rate).toBe(0.5);
    expect(b1?.last_error).toMatchObject({ status: null, error: 'stream_broken' });
  });

  it('shows open breakers and cooldowns from ModelHealth', async () => {
    const { stats, health, clock } = setup();
    for (let i = 0; i < 3; i++) health.breaker('a1').failure('normal', 'http_503');
    health.breaker('a2').failure('normal');
    health.coolDown('b1', T0 + 60_000);
    let snap = stats.snapshot();
    expect(snap.models.a1?.breaker).toEqual({
      state: 'open',
      failures_in_window: 0,
      cooldown_ms: 5_000,
      reopen_at: '2025-01-02T03:04:10.000Z',
    });
    expect(snap.models.a2?.breaker).toMatchObject({
      state: 'closed',
      failures_in_window: 1,
      reopen_at: null,
    });
    expect(snap.models.b1?.cooling_down_until).toBe('2025-01-02T03:05:05.000Z');
    await clock.advance(5_000);
    snap = stats.snapshot();
    expect(snap.models.a1?.breaker).toMatchObject({ state: 'half_open', reopen_at: null });
  });

  it('stops recording once detached', () => {
    const { stats, detach, ok } = setup();
    detach();
    ok('a1', 10);
    expect(stats.snapshot().models.a1?.recent.attempts).toBe(0);
  });

  it('never exposes provider keys, header values, base URLs or client keys', () => {
    const { stats, fail } = setup();
    fail('a1', 5, { message: `key=${SECRET} header=hdr-secret-789 url=${BASE_URL} client=client-key-456` });
    const json = JSON.stringify(stats.snapshot());
    for (const secret of [SECRET, 'hdr-secret-789', BASE_URL, 'alpha.internal.example', 'client-key-456']) {
      expect(json).not.toContain(secret);
    }
    expect(json).not.toMatch(/apiKey|baseUrl|headers/);
  });
});

describe('AttemptWindow', () => {
  it('rejects a size below 1', () => {
    expect(() => new AttemptWindow(0)).toThrow(RangeError);
    expect(() => new AttemptWindow(1.5)).toThrow(RangeError);
  });

  it('computes nearest-rank percentiles', () => {
    expect(nearestRank([7], 0.5)).toBe(7);
    expect(nearestRank([1, 2, 3, 4], 0.5)).toBe(2);
    expect(nearestRank([1, 2, 3, 4], 0.95)).toBe(4);
    const w = new AttemptWindow(3);
    for (const d of [300, 100, 200, 50]) w.record(true, d);
    expect(w.latencyPercentiles()).toEqual({ p50: 100, p95: 200 });
  });
});

describe('ModelStats: recovery', () => {
  it('shows probes, their cost, and the outage span from first failure to traffic back', async () => {
    const { stats, bus, clock, ok, fail, health } = setup();
    fail('a1', 5);
    await clock.advance(1_000);
    fail('a1', 5);
    fail('a1', 5);
    health.breaker('a1').recordFailure();
    health.breaker('a1').recordFailure();
    health.breaker('a1').recordFailure();
    expect(health.breaker('a1').state).toBe('open');
    await clock.advance(10_000);
    bus.emit({ type: 'probe.started', model: 'a1', provider: 'alpha' });
    bus.emit({
      type: 'probe.failed',
      model: 'a1',
      provider: 'alpha',
      durationMs: 3,
      status: 503,
      errorCode: 'http_503',
    });
    await clock.advance(10_000);
    bus.emit({ type: 'probe.started', model: 'a1', provider: 'alpha' });
    bus.emit({
      type: 'probe.succeeded',
      model: 'a1',
      provider: 'alpha',
      durationMs: 3,
      costUsd: 0.000012,
      promptTokens: 8,
      completionTokens: 1,
    });
    health.probeSucceeded('a1', 'health probe succeeded');
    await clock.advance(2_000);
    ok('a1', 10);
    const recovery = stats.snapshot().models.a1!.recovery;
    expect(recovery.health_probe).toMatchObject({
      sent: 2,
      failed: 1,
      cost_usd: 0.000012,
      last_outcome: 'succeeded',
    });
    expect(recovery.outages).toEqual([
      {
        down_at: new Date(T0).toISOString(),
        detected_at: new Date(T0 + 1_000).toISOString(),
        recovered_at: new Date(T0 + 21_000).toISOString(),
        traffic_back_at: new Date(T0 + 23_000).toISOString(),
      },
    ]);
  });
});
