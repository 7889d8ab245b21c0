import { describe, expect, it } from 'vitest';
import { hello } from '../support/engine.js';
import { OTLP_KIND, OTLP_STATUS, type ReceivedSpan } from '../support/otlp-receiver.js';
import { chat, tracedGateway } from './tracing-setup.js';

const attemptsOf = (spans: ReceivedSpan[]) => spans.filter((s) => s.kind === OTLP_KIND.client);
const serverOf = (spans: ReceivedSpan[]) => spans.find((s) => s.kind === OTLP_KIND.server) as ReceivedSpan;

describe('tracing: hedges and broken streams', () => {
  it('a hedge is an attempt span beside the slow one; the withdrawn loser is no error', async () => {
    const { gateway, receiver, tracing } = await tracedGateway({
      faults: { a: 'slow-first-token:5000', b: 'ok' },
      otlp: { protocol: 'http/json' },
      overrides: { routes: { main: { models: ['a', 'b'], hedge: { after_ms: 100 } } } },
    });
    const res = await chat(gateway.url, hello('main'));
    expect(res.status).toBe(200);
    await tracing.flush();
    const server = serverOf(receiver.spans);
    expect(server.attributes).toMatchObject({ 'switchboard.hedges': 1, 'gen_ai.response.model': 'b' });
    expect(server.events.find((e) => e.name === 'switchboard.hedge.started')?.attributes).toMatchObject({
      'switchboard.model': 'a',
      'switchboard.hedge.model': 'b',
      'switchboard.hedge.after_ms': 100,
    });
    const attempts = attemptsOf(receiver.spans);
    const summary = attempts
      .map((s) => [
        s.attributes['switchboard.model'],
        s.attributes['switchboard.attempt.hedge'],
        s.attributes['switchboard.attempt.outcome'],
        s.status.code,
        s.parentSpanId === server.spanId,
      ])
      .sort();
    expect(summary).toEqual([
      ['a', false, 'cancelled', OTLP_STATUS.unset, true],
      ['b', true, 'success', OTLP_STATUS.unset, true],
    ]);
  });

  it('a stream that broke and was continued has both attempts and a stream.recovered event', async () => {
    const { gateway, receiver, tracing } = await tracedGateway({
      faults: { a: 'stream-cut:2', b: 'ok' },
      otlp: { protocol: 'http/json' },
    });
    const res = await chat(gateway.url, hello('main', { stream: true }));
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('[DONE]');
    await tracing.flush();
    const server = serverOf(receiver.spans);
    expect(server.attributes['switchboard.stream_recoveries']).toBe(1);
    expect(server.events.find((e) => e.name === 'switchboard.stream.recovered')?.attributes).toMatchObject({
      'switchboard.stream.from': 'a',
      'switchboard.stream.to': 'b',
    });
    const models = attemptsOf(receiver.spans).map((s) => s.attributes['switchboard.model']);
    expect(models.sort()).toEqual(['a', 'b']);
    for (const attempt of attemptsOf(receiver.spans)) expect(attempt.parentSpanId).toBe(server.spanId);
  });
});
