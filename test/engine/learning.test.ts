import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/common/manual-clock.js';
import { createSwitchboard } from '../../src/switchboard.js';
import { configFor, hello, onCleanup, startEngine, startMocks, streamText } from '../support/engine.js';

/** A prompt of about `tokens` tokens by the engine's estimate (4 characters a token). */
const promptOf = (tokens: number) =>
  hello('main', { messages: [{ role: 'user', content: 'x'.repeat(tokens * 4) }] });

describe('context windows without configuration', () => {
  it('unknown windows fall back to the next model, and the limit is learnt from the error', async () => {
    const { sb, count } = await startEngine({ a: 'context-length', b: 'ok' });
    const { metadata } = await sb.chat(hello());
    expect(metadata.model).toBe('b');
    expect(metadata.attempts).toMatchObject([{ model: 'a', errorKind: 'context_length' }, { model: 'b' }]);
    expect([count('a'), count('b')]).toEqual([1, 1]);
    // The simulated provider says "maximum context length is 8192 tokens".
    expect(sb.health.contextWindow('a')).toBe(8192);
    expect(sb.health.contextWindow('b')).toBeUndefined();
  });

  it('a learnt window skips a too-small model without sending to it', async () => {
    const { sb, count } = await startEngine({ a: 'context-length', b: 'ok' });
    await sb.chat(promptOf(10_000));
    expect([count('a'), count('b')]).toEqual([1, 1]);
    const { metadata } = await sb.chat(promptOf(10_000));
    expect(metadata.model).toBe('b');
    expect(metadata.skipped).toEqual([
      { model: 'a', reason: 'context_window', detail: 'window 8192 tokens < prompt ~10000' },
    ]);
    expect([count('a'), count('b')]).toEqual([1, 2]);
    // A prompt that fits the learnt window still goes to a.
    await sb.chat(hello()).catch(() => {});
    expect(count('a')).toBe(2);
  });

  it('a built-in window skips a well-known model for a prompt it cannot hold', async () => {
    const { mocks, close } = await startMocks({ a: {}, b: {} });
    onCleanup(close);
    const config = configFor(mocks);
    (config.models as Record<string, Record<string, unknown>>).a!.model = 'mixtral-8x7b-32768';
    const sb = createSwitchboard(config, { logger: false });
    onCleanup(() => sb.close());
    const { metadata } = await sb.chat(promptOf(40_000));
    expect(metadata.model).toBe('b');
    expect(metadata.skipped).toMatchObject([{ model: 'a', reason: 'context_window' }]);
    expect(mocks.a!.stats().requests).toBe(0);
  });

  it('after a rejection, a model whose known window is no larger is skipped, an unknown one tried', async () => {
    const { mocks, close } = await startMocks({
      a: { fault: 'context-length' },
      b: {},
      c: {},
    });
    onCleanup(close);
    const config = configFor(mocks);
    (config.models as Record<string, Record<string, unknown>>).b!.context_window = 4_000;
    const sb = createSwitchboard(config, { logger: false });
    onCleanup(() => sb.close());
    const { metadata } = await sb.chat(hello());
    expect(metadata.model).toBe('c');
    expect(metadata.skipped).toEqual([{ model: 'b', reason: 'context_window' }]);
    expect(mocks.b!.stats().requests).toBe(0);
  });
});

describe('deadlines that learn', () => {
  const adaptive = { enabled: true, multiple: 4, floor_ms: 2_000, min_samples: 5 };

  it('a learnt first-token limit cuts a slow model early, and never below the floor', async () => {
    const clock = new ManualClock(0);
    const { sb, mocks, events } = await startEngine(
      { a: 'ok', b: 'ok' },
      {
        adaptive_timeouts: adaptive,
        timeouts: { connect_ms: 1_000, first_byte_ms: 15_000, first_token_ms: 30_000, total_ms: 120_000 },
      },
      { clock },
    );
    // Five fast streams: on the manual clock their first tokens take 0 ms, so 4 × p99 = 0 → the floor.
    for (let i = 0; i < 5; i++) await streamText(await sb.stream(hello('main', { stream: true })));
    expect(sb.health.firstTokenLimitMs(sb.config.models.a!)).toBe(2_000);

    mocks.a!.setFault('slow-first-token:60000');
    const pending = sb.stream(hello('main', { stream: true }));
    await expect.poll(() => mocks.a!.stats().requests).toBe(6);
    await clock.advance(1_999);
    expect(events.some((e) => e.type === 'attempt.failed')).toBe(false);
    await clock.advance(1);
    const result = await pending;
    expect(await streamText(result)).toBe('Answer from b.');
    const failed = events.find((e) => e.type === 'attempt.failed');
    expect(failed).toMatchObject({ model: 'a', outcome: 'timeout', durationMs: 2_000 });
    expect((failed as { message?: string }).message).toContain('no answer within 2000 ms (first_token)');
  });

  it('too few samples, or off: the configured limit stands', async () => {
    const clock = new ManualClock(0);
    const { sb } = await startEngine(
      { a: 'ok' },
      { adaptive_timeouts: { ...adaptive, min_samples: 50 }, timeouts: { first_token_ms: 30_000 } },
      { clock },
    );
    for (let i = 0; i < 5; i++) await streamText(await sb.stream(hello('main', { stream: true })));
    expect(sb.health.firstTokenLimitMs(sb.config.models.a!)).toBe(30_000);

    const off = await startEngine(
      { a: 'ok' },
      { adaptive_timeouts: { ...adaptive, enabled: false }, timeouts: { first_token_ms: 30_000 } },
      { clock },
    );
    for (let i = 0; i < 5; i++) await streamText(await off.sb.stream(hello('main', { stream: true })));
    expect(off.sb.health.firstTokenLimitMs(off.sb.config.models.a!)).toBe(30_000);
  });

  it('JSON attempts learn only with json: true', async () => {
    const clock = new ManualClock(0);
    const { sb } = await startEngine({ a: 'ok' }, { adaptive_timeouts: adaptive }, { clock });
    for (let i = 0; i < 5; i++) await sb.chat(hello());
    expect(sb.health.attemptLimitMs(sb.config.models.a!)).toBe(5_000);
    const json = await startEngine(
      { a: 'ok' },
      { adaptive_timeouts: { ...adaptive, json: true } },
      { clock },
    );
    for (let i = 0; i < 5; i++) await json.sb.chat(hello());
    expect(json.sb.health.attemptLimitMs(json.sb.config.models.a!)).toBe(2_000);
  });
});

describe('waiting for the preferred model', () => {
  it('an ordered route waits out a 1 s Retry-After on its first model by default', async () => {
    const clock = new ManualClock(0);
    const { sb, mocks, events, count } = await startEngine({ a: '429:1', b: 'ok' }, {}, { clock });
    const pending = sb.chat(hello());
    await expect.poll(() => events.some((e) => e.type === 'retry.scheduled')).toBe(true);
    expect(events.find((e) => e.type === 'retry.scheduled')).toMatchObject({
      model: 'a',
      delayMs: 1_000,
      reason: 'HTTP 429; Retry-After 1000 ms (waiting for the preferred model)',
    });
    mocks.a!.setFault('ok');
    await clock.advance(1_000);
    const { metadata } = await pending;
    expect(metadata.model).toBe('a');
    expect([count('a'), count('b')]).toEqual([2, 0]);
  });

  it('wait_for_preferred_ms: 0 falls to the next model at once; a longer Retry-After too', async () => {
    const off = await startEngine(
      { a: '429:1', b: 'ok' },
      { routes: { main: { models: ['a', 'b'], wait_for_preferred_ms: 0 } } },
    );
    expect((await off.sb.chat(hello())).metadata.model).toBe('b');
    expect([off.count('a'), off.count('b')]).toEqual([1, 1]);

    const long = await startEngine({ a: '429:2', b: 'ok' });
    expect((await long.sb.chat(hello())).metadata.model).toBe('b');
  });

  it('a longer option waits longer: wait_for_preferred_ms: 5000 and Retry-After: 3', async () => {
    const clock = new ManualClock(0);
    const { sb, mocks, events, count } = await startEngine(
      { a: '429:3', b: 'ok' },
      { routes: { main: { models: ['a', 'b'], wait_for_preferred_ms: 5_000 } } },
      { clock },
    );
    const pending = sb.chat(hello());
    await expect.poll(() => events.some((e) => e.type === 'retry.scheduled')).toBe(true);
    mocks.a!.setFault('ok');
    await clock.advance(3_000);
    expect((await pending).metadata.model).toBe('a');
    expect(count('b')).toBe(0);
  });

  it('a cheapest route never waits (its order is the price, not a preference)', async () => {
    const { sb, count } = await startEngine(
      { a: '429:1', b: 'ok' },
      { routes: { main: { models: ['a', 'b'], strategy: 'cheapest' } } },
    );
    expect((await sb.chat(hello())).metadata.model).toBe('b');
    expect(count('a')).toBe(1);
  });
});
