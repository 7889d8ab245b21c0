/** A test's subscriber to `GET /events`: collects parsed frames as they arrive. */
export interface SseSubscriber {
  status: number;
  /** Wire events received so far, in order. */
  events: Array<Record<string, unknown> & { type: string }>;
  /** Raw text received so far (comments included). */
  text(): string;
  /** Resolves once `predicate` holds on the events received, or rejects after `timeoutMs`. */
  waitFor(predicate: (events: SseSubscriber['events']) => boolean, timeoutMs?: number): Promise<void>;
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
  close(): void;
}

export async function subscribe(url: string, key?: string): Promise<SseSubscriber> {
  const abort = new AbortController();
  const res = await fetch(url, {
    headers: key ? { authorization: `Bearer ${key}` } : {},
    signal: abort.signal,
  });
  const events: SseSubscriber['events'] = [];
  let raw = '';
  let buffer = '';
  const waiters = new Set<() => void>();
  const ended = (async () => {
    if (!res.ok || !res.body) return;
    const decoder = new TextDecoder();
    try {
      for await (const chunk of res.body) {
        const text = decoder.decode(chunk as Uint8Array, { stream: true });
        raw += text;
        buffer += text;
        for (let end = buffer.indexOf('\n\n'); end !== -1; end = buffer.indexOf('\n\n')) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = block
            .split('\n')
            .filter((l) => l.startsWith('data:'))
            .map((l) => l.slice(5).trim())
            .join('\n');
          if (data) events.push(JSON.parse(data));
        }
        for (const w of waiters) w();
      }
    } catch {
      // closed by the test
    }
  })();
  return {
    status: res.status,
    events,
    text: () => raw,
    ended,
    close: () => abort.abort(),
    waitFor(predicate, timeoutMs = 5_000) {
      return new Promise<void>((resolve, reject) => {
        const check = () => {
          if (!predicate(events)) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve();
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(
            new Error(`waitFor: not met within ${timeoutMs} ms; got ${events.map((e) => e.type).join(', ')}`),
          );
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
  };
}

/** Polls `condition` every 10 ms until it holds; rejects after `timeoutMs`. */
export async function until(
  condition: () => boolean | Promise<boolean>,
  timeoutMs = 5_000,
  what = 'condition',
) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`${what}: not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
