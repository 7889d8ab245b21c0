import { describe, expect, it } from 'vitest';
import { systemClock } from '../../src/common/clock.js';
import { ModelStats } from '../../src/telemetry/model-stats.js';
import { hello, startEngine, streamText } from '../support/engine.js';

describe("an upstream refusing the request's own content does not colour the model for everyone", () => {
  it.each([
    ['400', 'client'],
    ['content-filter', 'content_policy'],
  ])('%s: the caller gets it, /status keeps no last_error and no failed attempt', async (fault) => {
    const { sb, count } = await startEngine({ a: fault, b: 'ok' });
    const stats = new ModelStats(sb.config, sb.health, systemClock);
    stats.attach(sb.events);
    for (let i = 0; i < 5; i++) await expect(sb.chat(hello())).rejects.toMatchObject({ status: 400 });
    expect([count('a'), count('b')]).toEqual([5, 0]);
    expect(stats.snapshot().models.a).toMatchObject({
      last_error: null,
      recent: { attempts: 0, success_rate: null },
    });
    expect(sb.health.breaker('a').snapshot()).toMatchObject({ state: 'closed', failuresInWindow: 0 });
  });

  it('a recovery model that refuses both the prefill and the restart is not marked as refusing prefills', async () => {
    const { sb, count } = await startEngine({ a: 'stream-cut:2', b: '400' });
    const result = await sb.stream(hello('main', { stream: true }));
    await expect(streamText(result)).rejects.toMatchObject({ code: 'stream_interrupted' });
    expect(count('b')).toBe(2); // the prefill, then the restart
    expect(sb.health.acceptsPrefill('b')).toBe(true);
  });
});
