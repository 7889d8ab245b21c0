import { describe, expect, it } from 'vitest';
import type { ResultMetadata, SwitchboardEvent } from '../../routing/index.js';
import {
  EVENT_TYPES,
  EventFilterError,
  matchesFilter,
  parseEventFilter,
  sseFrame,
  toWireEvent,
} from './event-wire.js';

const SECRET = 'sk-very-secret-key';
const URL_SECRET = 'http://10.0.0.5:9999/v1';

const meta = (over: Partial<ResultMetadata> = {}): ResultMetadata => ({
  requestId: 'r1',
  route: 'main',
  chain: ['a', 'b'],
  model: 'b',
  provider: 'pb',
  attempts: [
    {
      model: 'a',
      provider: 'pa',
      outcome: 'error',
      status: 503,
      errorKind: 'transient',
      errorCode: 'http_503',
      message: `upstream said: user prompt text, key ${SECRET}`,
      durationMs: 12,
      waitBeforeMs: 0,
    },
  ],
  skipped: [{ model: 'c', reason: 'breaker_open', untilMs: 9 }],
  fallbacks: 1,
  retries: 0,
  hedges: 0,
  recoveries: [],
  latencyMs: 30,
  costUsd: 0.001,
  wastedCostUsd: 0,
  hedgeCostUsd: 0,
  malformedChunks: 0,
  ...over,
});

const attemptFailed: SwitchboardEvent = {
  type: 'attempt.failed',
  requestId: 'r1',
  ...meta().attempts[0]!,
};

describe('toWireEvent', () => {
  it.each<[string, SwitchboardEvent, Record<string, unknown>]>([
    [
      'a failed attempt: status and class, never the provider message',
      attemptFailed,
      {
        type: 'attempt.failed',
        model: 'a',
        status: 503,
        errorKind: 'transient',
        errorCode: 'http_503',
        durationMs: 12,
      },
    ],
    [
      'a fallback, its reason with secrets redacted',
      {
        type: 'fallback',
        requestId: 'r1',
        from: 'a',
        to: 'b',
        fromProvider: 'pa',
        toProvider: 'pb',
        sameProvider: false,
        reason: `HTTP 503 from ${URL_SECRET}`,
      },
      { type: 'fallback', from: 'a', to: 'b', reason: 'HTTP 503 from [redacted]' },
    ],
    [
      'a breaker change',
      {
        type: 'breaker.transition',
        model: 'a',
        from: 'closed',
        to: 'open',
        cooldownMs: 5000,
        reason: '3 failures',
      },
      { type: 'breaker.transition', model: 'a', from: 'closed', to: 'open', cooldownMs: 5000, remote: false },
    ],
    [
      'a failed request: code and attempt classes, no message',
      {
        type: 'request.failed',
        requestId: 'r1',
        code: 'all_models_failed',
        message: `upstream: ${SECRET}`,
        metadata: meta(),
      },
      {
        type: 'request.failed',
        code: 'all_models_failed',
        attempts: [
          { model: 'a', outcome: 'error', status: 503, errorKind: 'transient', errorCode: 'http_503' },
        ],
        skipped: [{ model: 'c', reason: 'breaker_open' }],
      },
    ],
    [
      'a success: counts, no usage text',
      { type: 'request.succeeded', requestId: 'r1', metadata: meta() },
      { type: 'request.succeeded', model: 'b', attempts: 1, fallbacks: 1, costUsd: 0.001 },
    ],
  ])('%s', (_name, event, expected) => {
    const wire = toWireEvent(event, 1000, [SECRET, URL_SECRET], 'main');
    expect(wire).toMatchObject({ ...expected, at_ms: 1000, route: 'main' });
    const text = JSON.stringify(wire);
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain(URL_SECRET);
    expect(text).not.toContain('user prompt');
    expect(text).not.toContain('"message"');
  });

  it('maps every event type', () => {
    // The table of types is kept in step with the union: a new type must be added there too.
    expect(new Set(EVENT_TYPES).size).toBe(EVENT_TYPES.length);
    expect(EVENT_TYPES).toHaveLength(19); // 15, and the four probe.* events of issue 13
  });

  it('frames one event per SSE message, data on one line', () => {
    const frame = sseFrame(7, toWireEvent(attemptFailed, 1, []));
    expect(frame).toMatch(/^id: 7\nevent: attempt\.failed\ndata: \{.*\}\n\n$/);
  });
});

describe('parseEventFilter and matchesFilter', () => {
  const routes = { main: ['a', 'b'], other: ['c'] };
  const q = (s: string) => parseEventFilter(new URLSearchParams(s), routes);
  const wire = (type: string, over: Record<string, unknown> = {}) =>
    ({ type, at_ms: 0, ...over }) as Parameters<typeof matchesFilter>[1];

  it.each<[string, string, boolean]>([
    ['', 'attempt.failed', true],
    ['type=fallback', 'fallback', true],
    ['type=fallback', 'attempt.failed', false],
    ['type=attempt.', 'attempt.started', true],
    ['type=attempt.', 'request.started', false],
    ['type=attempt', 'attempt.succeeded', true],
    ['type=fallback,breaker.transition', 'breaker.transition', true],
    ['type=fallback&type=retry.', 'retry.scheduled', true],
  ])('%s lets %s through: %s', (query, type, pass) => {
    expect(matchesFilter(q(query), wire(type))).toBe(pass);
  });

  it('route: requests of that route, and breaker changes of its models', () => {
    const f = q('route=main');
    expect(matchesFilter(f, wire('fallback', { route: 'main' }))).toBe(true);
    expect(matchesFilter(f, wire('fallback', { route: 'other' }))).toBe(false);
    expect(matchesFilter(f, wire('fallback'))).toBe(false);
    expect(matchesFilter(f, wire('breaker.transition', { model: 'a' }))).toBe(true);
    expect(matchesFilter(f, wire('breaker.transition', { model: 'c' }))).toBe(false);
  });

  it.each([
    ['type=nope', 'type', /type "nope" matches no event/],
    ['type=fallbacks', 'type', /fallbacks/],
    ['route=zzz', 'route', /route "zzz" is not configured; routes: main, other/],
    ['model=a', 'model', /unknown parameter "model"/],
  ])('%s is an error naming %s', (query, param, message) => {
    try {
      q(query);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(EventFilterError);
      expect((error as EventFilterError).param).toBe(param);
      expect((error as Error).message).toMatch(message);
    }
  });
});
