import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../src/common/seeded-random.js';
import type { MockProviderOptions } from '../../src/mock/types.js';
import type { SwitchboardEvent } from '../../src/routing/events.js';
import { createSwitchboard, type SwitchboardOptions } from '../../src/switchboard.js';
import { configFor, hello, onCleanup, startMocks, streamText } from '../support/engine.js';

const REPLY = 'one two three four five six seven eight';

async function setup(
  specs: Record<string, MockProviderOptions>,
  overrides: Record<string, unknown> = {},
  options: SwitchboardOptions = {},
  tweak: (config: ReturnType<typeof configFor>) => void = () => {},
) {
  const { mocks, close } = await startMocks(
    Object.fromEntries(Object.entries(specs).map(([k, v]) => [k, { reply: REPLY, ...v }])),
  );
  onCleanup(close);
  const config = configFor(mocks, overrides);
  tweak(config);
  const sb = createSwitchboard(config, { logger: false, random: () => 0.5, ...options });
  onCleanup(() => sb.close());
  const events: SwitchboardEvent[] = [];
  sb.events.on((e) => events.push(e));
  const count = (name: string) => mocks[name]!.stats().requests;
  return { sb, mocks, events, count };
}

const streamed = () => hello('main', { stream: true });
const models = (config: ReturnType<typeof configFor>) =>
  config.models as Record<string, Record<string, unknown>>;
const routes = (config: ReturnType<typeof configFor>) => config.routes as Record<string, unknown>;

describe('time limits that fit LLMs', () => {
  it('a slow first token fails over within first_token_ms', async () => {
    const { sb, count } = await setup(
      { a: { fault: 'slow-first-token:5000' }, b: {} },
      { timeouts: { first_token_ms: 150 } },
    );
    const result = await sb.stream(streamed());
    expect(await streamText(result)).toBe(REPLY);
    expect(result.metadata.attempts.map((a) => [a.model, a.outcome])).toEqual([
      ['a', 'timeout'],
      ['b', 'success'],
    ]);
    expect([count('a'), count('b')]).toEqual([1, 1]);
  });

  it('a slow but flowing stream is not cut, even past attempt_ms, and does not trip the breaker', async () => {
    const { sb } = await setup(
      { a: { tokensPerSec: 40 } },
      { timeouts: { attempt_ms: 100, stall_ms: 1_000 }, circuit_breaker: { failure_threshold: 1 } },
    );
    const result = await sb.stream(streamed());
    expect(await streamText(result)).toBe(REPLY);
    expect(sb.health.breaker('a').state).toBe('closed');
  });
});

describe('mid-stream recovery', () => {
  it('continues a stalled stream on the next model: one answer, partial + continuation, no repeat', async () => {
    const { sb, mocks, events } = await setup(
      { a: { fault: 'stall:3:10000' }, b: {} },
      { timeouts: { stall_ms: 150 } },
    );
    const result = await sb.stream(streamed());
    expect(await streamText(result)).toBe(REPLY);
    const sent = mocks.b!.stats().log[0]?.body as { messages: Array<{ role: string; content: string }> };
    expect(sent.messages.at(-1)).toEqual({ role: 'assistant', content: 'one two three ' });
    expect(result.metadata.recoveries).toMatchObject([
      { from: 'a', to: 'b', mode: 'prefill', partialChars: 14 },
    ]);
    expect(events.some((e) => e.type === 'stream.recovered')).toBe(true);
    expect(events.at(-1)).toMatchObject({ type: 'request.succeeded' });
    await expect.poll(() => mocks.a!.stats().aborted).toBe(1);
  });

  it('continues a cut stream, and usage and cost count both models', async () => {
    const { sb } = await setup({ a: { fault: 'stream-cut:2' }, b: {} });
    const result = await sb.stream(streamed());
    expect(await streamText(result)).toBe(REPLY);
    // a's usage never arrived (the socket died): estimated from its text; b's comes from b.
    expect(result.metadata.usage?.completion_tokens).toBe(Math.ceil('one two '.length / 4) + 6);
    expect(result.metadata.costUsd).toBeGreaterThan(0);
  });

  it('restarts with an instruction on a model that rejects the prefill; the caller never sees that 400', async () => {
    const { sb, mocks, events } = await setup({
      a: { fault: 'stream-cut:2' },
      b: { assistantPrefill: false },
    });
    const result = await sb.stream(streamed());
    expect(await streamText(result)).toBe(REPLY);
    expect(result.metadata.recoveries).toMatchObject([{ from: 'a', to: 'b', mode: 'restart' }]);
    const bodies = mocks.b!.stats().log.map((l) => l.body as { messages: Array<{ role: string }> });
    expect(bodies.map((b) => b.messages.at(-1)?.role)).toEqual(['assistant', 'user']);
    expect(sb.health.acceptsPrefill('b')).toBe(false);
    expect(events.at(-1)).toMatchObject({ type: 'request.succeeded' });
  });

  it('with stream_recovery: error, ends the stream with an error and asks no one else', async () => {
    const { sb, count } = await setup({ a: { fault: 'stream-cut:2' }, b: {} }, {}, {}, (c) => {
      routes(c).main = { models: ['a', 'b'], stream_recovery: 'error' };
    });
    const result = await sb.stream(streamed());
    await expect(streamText(result)).rejects.toMatchObject({ code: 'stream_interrupted' });
    expect(count('b')).toBe(0);
  });

  it('does not continue a tool-call stream: it ends with an error and no other model is asked', async () => {
    const { sb, count } = await setup({
      a: { fault: 'stream-cut:2', toolCall: 'lookup' },
      b: { toolCall: 'lookup' },
    });
    const tools = [{ type: 'function', function: { name: 'lookup', parameters: {} } }];
    const result = await sb.stream(hello('main', { stream: true, tools }));
    const seen: unknown[] = [];
    await expect(
      (async () => {
        for await (const chunk of result) seen.push(chunk.choices[0]?.delta?.tool_calls);
      })(),
    ).rejects.toMatchObject({ code: 'stream_interrupted' });
    expect(seen.filter(Boolean).length).toBe(2);
    expect(count('b')).toBe(0);
  });

  it('a tool-call stream that fails before its first output is restarted on the next model', async () => {
    const { sb } = await setup({ a: { fault: '503', toolCall: 'lookup' }, b: { toolCall: 'lookup' } });
    const tools = [{ type: 'function', function: { name: 'lookup', parameters: {} } }];
    const result = await sb.stream(hello('main', { stream: true, tools }));
    let args = '';
    for await (const chunk of result) {
      for (const call of (chunk.choices[0]?.delta?.tool_calls ?? []) as Array<{
        function?: { arguments?: string };
      }>) {
        args += call.function?.arguments ?? '';
      }
    }
    expect(args).toBe(REPLY);
    expect(result.metadata.model).toBe('b');
  });

  it('with no model left to continue, the stream ends with an error, never a clean finish', async () => {
    const { sb } = await setup(
      { a: { fault: 'stream-cut:2' }, b: { fault: '503' } },
      { retry: { max_retries: 0 } },
    );
    const result = await sb.stream(streamed());
    await expect(streamText(result)).rejects.toMatchObject({ code: 'stream_interrupted' });
  });
});

describe('hedged requests', () => {
  it('a hedge wins when the primary is slow, and the loser’s upstream request is aborted', async () => {
    const { sb, mocks, events } = await setup(
      { a: { fault: 'slow-first-token:5000' }, b: {} },
      {},
      {},
      (c) => {
        routes(c).main = { models: ['a', 'b'], hedge: { after_ms: 100 } };
      },
    );
    const { completion, metadata } = await sb.chat(hello());
    expect(completion.choices[0]?.message).toMatchObject({ content: REPLY });
    expect(metadata).toMatchObject({ model: 'b', hedges: 1 });
    expect(metadata.attempts.map((a) => [a.model, a.outcome, a.hedge ?? false])).toEqual([
      ['b', 'success', true],
      ['a', 'cancelled', false],
    ]);
    expect(events.find((e) => e.type === 'hedge.started')).toMatchObject({
      model: 'a',
      hedge: 'b',
      afterMs: 100,
    });
    await expect.poll(() => mocks.a!.stats().aborted).toBe(1);
    expect(sb.health.breaker('a').state).toBe('closed');
  });

  it('after: p95 hedges at the model’s observed percentile, not at the fallback delay', async () => {
    const { sb, mocks, events } = await setup({ a: {}, b: {} }, {}, {}, (c) => {
      routes(c).main = { models: ['a', 'b'], hedge: { after: 'p95', after_ms: 60_000 } };
    });
    for (let i = 0; i < 6; i++) await sb.chat(hello()); // a answers fast: its p95 is a few ms
    mocks.a!.setFault('slow-first-token:5000');
    const { metadata } = await sb.chat(hello());
    expect(metadata).toMatchObject({ model: 'b', hedges: 1 });
    const started = events.find((e) => e.type === 'hedge.started') as { afterMs: number };
    expect(started.afterMs).toBeLessThan(1_000);
  });

  it('no hedge when the primary answers in time', async () => {
    const { sb, count } = await setup({ a: {}, b: {} }, {}, {}, (c) => {
      routes(c).main = { models: ['a', 'b'], hedge: { after_ms: 2_000 } };
    });
    const result = await sb.stream(streamed());
    await streamText(result);
    expect(result.metadata.hedges).toBe(0);
    expect(count('b')).toBe(0);
  });
});

describe('retry budget', () => {
  it('caps retries during a full outage, but never a first attempt or a fallback', async () => {
    const { sb, count } = await setup(
      { a: { fault: '503' }, b: { fault: '503' } },
      {
        retry: { max_retries: 3, base_delay_ms: 0, max_delay_ms: 0 },
        circuit_breaker: { failure_threshold: 1000 },
        retry_budget: { ratio: 0.1, min_retries: 2, window_ms: 60_000 },
      },
    );
    for (let i = 0; i < 20; i++) await sb.chat(hello()).catch(() => {});
    // Without a budget: 20 requests × 2 models × 4 tries = 160. With it: 40 first tries + at most max(2, 0.1 × 20) retries.
    expect(count('a') + count('b')).toBeGreaterThanOrEqual(40);
    expect(count('a') + count('b')).toBeLessThanOrEqual(42);
  });
});

describe('routes that choose by measurement', () => {
  it('fastest prefers the measured-fastest healthy model, and re-measures one that slows down', async () => {
    const { sb, mocks } = await setup({ a: { latencyMs: 60 }, b: {} }, {}, { random: () => 0.99 }, (c) => {
      routes(c).main = { models: ['a', 'b'], strategy: 'fastest' };
    });
    const answered: string[] = [];
    for (let i = 0; i < 8; i++) answered.push((await sb.chat(hello())).metadata.model as string);
    expect(answered.slice(0, 2)).toEqual(['a', 'b']); // both unmeasured at first: measured in chain order
    expect(answered.slice(2)).toEqual(Array(6).fill('b'));
    mocks.b!.setFault('slow-first-token:150');
    const later: string[] = [];
    for (let i = 0; i < 12; i++) later.push((await sb.chat(hello())).metadata.model as string);
    expect(later.at(-1)).toBe('a');
  });

  it('fastest explores: now and then a slower model is tried first so it stays measured', async () => {
    let calls = 0;
    const random = () => (++calls % 5 === 0 ? 0.01 : 0.99); // the exploration coin comes up now and then
    const { sb, count } = await setup({ a: { latencyMs: 40 }, b: {} }, {}, { random }, (c) => {
      routes(c).main = { models: ['a', 'b'], strategy: 'fastest' };
    });
    for (let i = 0; i < 12; i++) await sb.chat(hello());
    expect(count('b')).toBeGreaterThan(count('a'));
    expect(count('a')).toBeGreaterThan(1); // measured first (unmeasured), then re-measured by exploring
  });

  it('cheapest orders by the estimated cost of this request', async () => {
    const { sb, count } = await setup({ a: {}, b: {}, c: {} }, { retry: { max_retries: 0 } }, {}, (c) => {
      models(c).a!.price = { input: 5, output: 15 };
      models(c).b!.price = { input: 0.1, output: 0.2 };
      models(c).c!.price = { input: 1, output: 2 };
      routes(c).main = { models: ['a', 'b', 'c'], strategy: 'cheapest' };
    });
    expect((await sb.chat(hello())).metadata).toMatchObject({ model: 'b', chain: ['b', 'c', 'a'] });
    expect([count('a'), count('b'), count('c')]).toEqual([0, 1, 0]);
  });

  it('weighted spreads the load by weight', async () => {
    const random = mulberry32(7);
    const { sb, count } = await setup({ a: {}, b: {} }, {}, { random }, (c) => {
      routes(c).main = {
        models: [
          { model: 'a', weight: 3 },
          { model: 'b', weight: 1 },
        ],
        strategy: 'weighted',
      };
    });
    for (let i = 0; i < 80; i++) await sb.chat(hello());
    expect(count('a')).toBeGreaterThan(count('b') * 1.8);
    expect(count('b')).toBeGreaterThan(5);
  });

  it('a model at its rpm limit is skipped like a cooling-down one, without a 429', async () => {
    const { sb, count } = await setup({ a: {}, b: {} }, {}, {}, (c) => {
      models(c).a!.rpm = 2;
    });
    const answered: string[] = [];
    for (let i = 0; i < 4; i++) answered.push((await sb.chat(hello())).metadata.model as string);
    expect(answered).toEqual(['a', 'a', 'b', 'b']);
    expect(count('a')).toBe(2);
    const { metadata } = await sb.chat(hello());
    expect(metadata.skipped).toMatchObject([{ model: 'a', reason: 'rate_limit' }]);
  });
});
