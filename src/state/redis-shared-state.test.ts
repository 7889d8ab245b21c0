import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../common/clock.js';
import { RedisSharedState } from './redis-shared-state.js';
import type { StoreHealthChange } from './store-health.js';

let closing: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closing) await close();
  closing = [];
});

/** A port nothing listens on. */
function deadPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 1));
    });
  });
}

describe('RedisSharedState without a reachable Redis', () => {
  it('degrades once, answers everything locally and at once, and never throws', async () => {
    const changes: StoreHealthChange[] = [];
    const state = new RedisSharedState({
      url: `redis://127.0.0.1:${await deadPort()}`,
      prefix: 'sb',
      models: ['a'],
      clock: systemClock,
      instanceId: 'me',
      readyTimeoutMs: 200,
      onHealth: (change) => changes.push(change),
    });
    closing.push(() => state.close());
    const started = Date.now();
    await state.ready();
    expect(Date.now() - started).toBeLessThan(1_000);
    await expect.poll(() => state.status().degradedSinceMs).toBeTypeOf('number');
    // Several reconnection attempts later, still one report.
    await new Promise((r) => setTimeout(r, 400));
    expect(changes).toEqual([{ type: 'degraded', store: 'redis', reason: expect.any(String) }]);
    expect(state.status()).toMatchObject({ store: 'redis', instanceId: 'me', connected: false });

    expect(await state.claimProbe('a', 1_000)).toBe(true);
    state.publishBreaker('a', { state: 'open', atMs: 1, cooldownMs: 1, reopenAtMs: 2 });
    state.publishCooldown('a', Date.now() + 1_000);
    state.releaseProbe('a');
    state.addCount('k', 1, 1_000);
    state.resetCount('k', 1_000);
    expect(state.count('k', 1_000)).toBe(0);
  });
});
