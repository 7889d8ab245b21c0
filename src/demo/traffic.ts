import type { Clock } from '../common/clock.js';

export interface TrafficOptions {
  /** The gateway, e.g. http://127.0.0.1:8787. Loopback only: the demo never sends traffic elsewhere. */
  baseUrl: string;
  /** Sent as `Authorization: Bearer` when the gateway has api_keys. */
  apiKey?: string;
  /** Route names to take turns on. */
  routes: readonly string[];
  /** Requests started per second (default 4). */
  perSecond?: number;
  /** Requests in flight at most; a tick with the pool full is skipped (default 8). */
  maxInFlight?: number;
  clock: Clock;
  signal: AbortSignal;
}

export interface TrafficCounts {
  sent: number;
  answered: number;
  failed: number;
  skipped: number;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * Light traffic on every route, JSON and streams in turn, until `signal` aborts: what makes the
 * dashboard move during the demo. Returns the counts when stopped.
 */
export async function runTraffic(options: TrafficOptions): Promise<TrafficCounts> {
  const url = new URL('/v1/chat/completions', options.baseUrl);
  if (!LOOPBACK.has(url.hostname)) throw new Error(`demo traffic goes to loopback only, not ${url.hostname}`);
  const intervalMs = 1000 / (options.perSecond ?? 4);
  const maxInFlight = options.maxInFlight ?? 8;
  const counts: TrafficCounts = { sent: 0, answered: 0, failed: 0, skipped: 0 };
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (options.apiKey) headers.authorization = `Bearer ${options.apiKey}`;
  let inFlight = 0;
  const pending = new Set<Promise<void>>();
  for (let i = 0; !options.signal.aborted; i++) {
    if (inFlight >= maxInFlight || options.routes.length === 0) counts.skipped++;
    else {
      const route = options.routes[i % options.routes.length] as string;
      const stream = Math.floor(i / options.routes.length) % 2 === 1;
      inFlight++;
      counts.sent++;
      const p = send(url, headers, route, stream, options.signal)
        .then((ok) => {
          if (ok) counts.answered++;
          else counts.failed++;
        })
        .finally(() => {
          inFlight--;
          pending.delete(p);
        });
      pending.add(p);
    }
    try {
      await options.clock.sleep(intervalMs, options.signal);
    } catch {
      break;
    }
  }
  await Promise.allSettled(pending);
  return counts;
}

async function send(
  url: URL,
  headers: Record<string, string>,
  route: string,
  stream: boolean,
  signal: AbortSignal,
): Promise<boolean> {
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers,
      signal,
      body: JSON.stringify({
        model: route,
        stream,
        ...(stream ? { stream_options: { include_usage: true } } : {}),
        messages: [{ role: 'user', content: `Demo request on ${route}: say hello.` }],
      }),
    });
    const text = await res.text(); // read streams to their end, so they run their course
    return res.ok && !text.includes('"stream_interrupted"');
  } catch {
    return false;
  }
}
