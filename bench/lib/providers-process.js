/**
 * The simulated providers of a bench run, in ONE child process: `node providers-process.js '<json>'`
 * where the JSON is `[{ "name": "primary", "latencyMs": 0 }, …]` (optional `reply`, `tokensPerSec`, `fault`). Starts one simulated provider per
 * entry (from the built `dist/mock/index.js`) on 127.0.0.1 with an ephemeral port and prints their
 * addresses as one JSON line: `{"providers":{"primary":{"url":"http://127.0.0.1:PORT","port":PORT}}}`.
 * Exits on SIGTERM/SIGINT, and when its stdin ends (the bench died).
 */
import './orphan-guard.js';

const MOCK_MODULE = new URL('../../dist/mock/index.js', import.meta.url);

/** @type {Array<{ name: string, latencyMs?: number, tokensPerSec?: number, reply?: string, fault?: string }>} */
const specs = JSON.parse(process.argv[2] ?? '[]');
const { startMockProvider } = await import(MOCK_MODULE.href);

/** @type {Array<{ close(): Promise<void> }>} */
const started = [];
let closing = false;
const shutdown = async (code = 0) => {
  if (closing) return;
  closing = true;
  const timer = setTimeout(() => process.exit(code), 2000);
  await Promise.allSettled(started.map((m) => m.close()));
  clearTimeout(timer);
  process.exit(code);
};
process.once('SIGTERM', () => void shutdown(0));
process.once('SIGINT', () => void shutdown(0));
process.stdin.on('end', () => void shutdown(0));
process.stdin.on('error', () => void shutdown(0));
process.stdin.resume();

try {
  /** @type {Record<string, { url: string, port: number }>} */
  const providers = {};
  for (const spec of specs) {
    const mock = await startMockProvider({
      name: spec.name,
      host: '127.0.0.1',
      port: 0,
      latencyMs: spec.latencyMs ?? 0,
      tokensPerSec: spec.tokensPerSec ?? 0,
      ...(spec.reply !== undefined ? { reply: spec.reply } : {}),
      fault: spec.fault ?? 'ok',
      maxLogEntries: 100,
    });
    started.push(mock);
    providers[spec.name] = { url: mock.url, port: mock.port };
  }
  process.stdout.write(`${JSON.stringify({ providers })}\n`);
} catch (error) {
  process.stderr.write(`providers: ${error instanceof Error ? error.message : String(error)}\n`);
  await shutdown(1);
}
