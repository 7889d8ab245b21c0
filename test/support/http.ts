/** Small helpers for tests that drive the simulated provider over HTTP. */
import type { MockStats } from '../../src/mock/stats.js';
import type { MockProvider } from '../../src/mock/types.js';

/** Polls `stats()` until `predicate` holds (server-side effects such as aborts land asynchronously). */
export async function waitForStats(
  provider: Pick<MockProvider, 'stats'>,
  predicate: (stats: MockStats) => boolean,
  timeoutMs = 2000,
): Promise<MockStats> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const stats = provider.stats();
    if (predicate(stats)) return stats;
    if (Date.now() > deadline) {
      const { log: _log, ...counts } = stats;
      throw new Error(
        `waitForStats: condition not met within ${timeoutMs}ms; stats: ${JSON.stringify(counts)}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** `res.json()` with the shape the test expects (a cast; assertions do the checking). */
export async function readJson<T>(res: Response): Promise<T> {
  return (await res.json()) as T;
}
