import { describe, expect, it } from 'vitest';
import { createSwitchboard } from '../../src/switchboard.js';
import { configFor, hello, onCleanup, startEngine, startMocks } from '../support/engine.js';

const setup = (faults: Record<string, string>, overrides: Record<string, unknown> = {}) =>
  startEngine(faults, overrides);

describe('timeouts and deadlines', () => {
  it('cuts a hanging provider at the attempt timeout and fails over without retrying it', async () => {
    const { sb, mocks, count } = await setup({ a: 'timeout', b: 'ok' }, { timeouts: { attempt_ms: 400 } });
    const { metadata } = await sb.chat(hello());
    expect(metadata.model).toBe('b');
    expect(metadata.attempts[0]).toMatchObject({ model: 'a', outcome: 'timeout', errorCode: 'timeout' });
    expect([count('a'), count('b')]).toEqual([1, 1]);
    await expect.poll(() => mocks.a!.stats().aborted).toBe(1);
  });

  it('cuts a stream whose headers never come at first_byte_ms', async () => {
    const { sb, count } = await setup({ a: 'timeout', b: 'ok' }, { timeouts: { first_byte_ms: 400 } });
    const result = await sb.stream(hello('main', { stream: true }));
    for await (const _ of result) {
      // drain
    }
    expect(result.metadata.attempts[0]).toMatchObject({ model: 'a', outcome: 'timeout' });
    expect([count('a'), count('b')]).toEqual([1, 1]);
  });

  it('never runs past the request deadline, and starts no attempt after it', async () => {
    const { sb, count } = await setup(
      { a: 'timeout', b: 'timeout', c: 'ok' },
      { timeouts: { attempt_ms: 400, total_ms: 700 } },
    );
    const error = await sb.chat(hello()).catch((e) => e);
    expect(error).toMatchObject({ code: 'deadline_exceeded', status: 504 });
    expect(error.metadata.latencyMs).toBeLessThan(400 + 400);
    expect([count('a'), count('b'), count('c')]).toEqual([1, 1, 0]);
  });

  it('honours a caller-supplied deadline', async () => {
    const { sb } = await setup({ a: 'timeout' });
    const error = await sb.chat(hello(), { timeoutMs: 100 }).catch((e) => e);
    expect(error).toMatchObject({ code: 'deadline_exceeded' });
  });

  it('the caller’s AbortSignal aborts the in-flight upstream request', async () => {
    const { sb, mocks, events } = await setup({ a: 'timeout', b: 'ok' });
    const controller = new AbortController();
    sb.events.on((e) => {
      if (e.type === 'attempt.started') setImmediate(() => controller.abort());
    });
    const error = await sb.chat(hello(), { signal: controller.signal }).catch((e) => e);
    expect(error).toMatchObject({ code: 'cancelled' });
    await expect.poll(() => mocks.a!.stats().aborted).toBe(1);
    expect(mocks.b!.stats().requests).toBe(0);
    expect(events.at(-1)).toMatchObject({ type: 'request.failed', code: 'cancelled' });
  });

  it('the caller’s AbortSignal cuts a pending backoff wait', async () => {
    const { mocks, close } = await startMocks({ a: { fault: '503' } });
    onCleanup(close);
    const sb = createSwitchboard(
      configFor(mocks, {
        retry: { base_delay_ms: 60_000, max_delay_ms: 60_000 },
        timeouts: { total_ms: 120_000 },
      }),
      {
        logger: false,
        random: () => 0.99,
      },
    );
    onCleanup(() => sb.close());
    const controller = new AbortController();
    sb.events.on((e) => {
      if (e.type === 'retry.scheduled') controller.abort();
    });
    const error = await sb.chat(hello(), { signal: controller.signal }).catch((e) => e);
    expect(error).toMatchObject({ code: 'cancelled' });
    expect(mocks.a!.stats().requests).toBe(1);
  });
});
