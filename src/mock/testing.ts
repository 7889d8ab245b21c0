/** Small helpers for tests that drive the simulated provider over HTTP. */
import type { MockStats } from './stats.js';
import type { MockProvider } from './types.js';

/** The `data:` payloads of an SSE text, in order (`[DONE]` included). */
export function parseSseData(text: string): string[] {
  const out: string[] = [];
  for (const event of text.split('\n\n')) {
    for (const line of event.split('\n')) {
      if (line.startsWith('data:')) out.push(line.slice(5).trimStart());
    }
  }
  return out;
}

/** Reads a body to its end or to its first error, returning what arrived before it. */
export async function readUntilError(res: Response): Promise<{ text: string; error?: unknown }> {
  if (!res.body) return { text: '' };
  const decoder = new TextDecoder();
  const reader = res.body.getReader();
  let text = '';
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return { text: text + decoder.decode() };
      text += decoder.decode(value, { stream: true });
    }
  } catch (error) {
    return { text, error };
  }
}

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
