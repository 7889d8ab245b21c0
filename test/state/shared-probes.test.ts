import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/common/manual-clock.js';
import type { SwitchboardEvent } from '../../src/routing/events.js';
import { createSwitchboard, type Switchboard } from '../../src/switchboard.js';
import { configFor, hello, onCleanup, startMocks } from '../support/engine.js';
import { RedisServer, redisRequired, redisServerInstalled } from '../support/redis-server.js';

let redis: RedisServer | undefined;

beforeAll(async () => {
  if (!redisServerInstalled) {
    if (redisRequired) throw new Error('redis-server is not installed: .ci/run must install it (CI=true)');
    return;
  }
  redis = await RedisServer.start();
});
afterAll(async () => {
  await redis?.close();
});

describe.runIf(redisServerInstalled || redisRequired)('active health probes with shared state', () => {
  it('two instances sharing Redis probe a down model once per interval between them', async () => {
    const { mocks, close } = await startMocks({ a: { fault: '503' }, b: { fault: 'ok' } });
    onCleanup(close);
    const config = configFor(mocks, {
      retry: { max_retries: 0 },
      circuit_breaker: {
        failure_threshold: 1,
        window_ms: 30_000,
        cooldown_ms: 30_000,
        max_cooldown_ms: 30_000,
      },
      state: { store: 'redis', url: redis?.url, prefix: 'sbprobes' },
    });
    const clock = new ManualClock(1_000_000);
    const events: SwitchboardEvent[] = [];
    const instances: Switchboard[] = [];
    for (let i = 0; i < 2; i++) {
      const sb = createSwitchboard(config, { logger: false, clock, random: () => 0 });
      onCleanup(() => sb.close());
      sb.events.on((e) => events.push(e));
      instances.push(sb);
    }
    const [one, two] = instances as [Switchboard, Switchboard];
    await expect.poll(() => instances.every((sb) => sb.sharedState.status().connected)).toBe(true);

    await one.chat(hello());
    expect(one.health.breaker('a').state).toBe('open');
    await expect.poll(() => two.health.breaker('a').state).toBe('open');

    const started = () => events.filter((e) => e.type === 'probe.started').length;
    const decided = () =>
      events.filter((e) => ['probe.succeeded', 'probe.failed', 'probe.skipped'].includes(e.type)).length;
    const perInterval: number[] = [];
    for (let interval = 0; interval < 6; interval++) {
      const before = started();
      await clock.advance(10_000);
      // Each instance's timer fires: one claims and probes, the other is told it was claimed elsewhere.
      await expect.poll(decided, { timeout: 5_000, interval: 5 }).toBe(2 * (interval + 1));
      perInterval.push(started() - before);
    }
    expect(perInterval).toEqual([1, 1, 1, 1, 1, 1]);
    expect(events.filter((e) => e.type === 'probe.skipped')).toHaveLength(6);
    // The simulated provider saw the one user request and one probe per interval.
    expect(mocks.a!.stats().requests).toBe(1 + 6);
    // Failed probes held the breaker open on both instances: no user request probed meanwhile.
    const userProbes = events.filter((e) => e.type === 'attempt.started' && e.model === 'a' && e.probe);
    expect(userProbes).toEqual([]);

    mocks.a!.setFault('ok');
    await clock.advance(10_000);
    await expect.poll(() => one.health.breaker('a').state, { timeout: 5_000 }).toBe('closed');
    await expect.poll(() => two.health.breaker('a').state, { timeout: 5_000 }).toBe('closed');
    expect((await two.chat(hello())).metadata.model).toBe('a');
  });
});
