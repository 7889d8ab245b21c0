import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { type Gateway, startGateway } from '../../src/gateway.js';
import { createSwitchboard } from '../../src/switchboard.js';
import { createLogger } from '../../src/telemetry/logger.js';
import { onCleanup, startMocks } from '../support/engine.js';
import { parseSseData } from '../support/sse.js';

/** Keys of no known shape (no digits, short): only the exact, configured-secret pass can catch them. */
const KEY = 'plain-upstream-secret';
const HEADER_KEY = 'tenant-header-secret';
/** A key of a known vendor shape that is not ours: caught by its shape. */
const FOREIGN_KEY = 'sk-ant-api03-SomeoneElses0123456789';
const SECRETS = [KEY, HEADER_KEY, FOREIGN_KEY, 'SomeoneElses0123456789'];

/** Everything written to it, as one string: the gateway's log lines. */
function logBuffer() {
  let text = '';
  const stream = new Writable({
    write(chunk, _encoding, done) {
      text += String(chunk);
      done();
    },
  });
  return { logger: createLogger('debug', stream), text: () => text };
}

function expectNoSecret(where: string, text: string) {
  for (const secret of SECRETS) expect(text, `${where} shows ${secret}`).not.toContain(secret);
}

describe('an upstream that echoes our key never makes us show it', () => {
  it('nowhere a client or operator can see: answers, streams, headers, debug view, /status, /metrics, ledger, logs', async () => {
    const { mocks, close } = await startMocks({
      // echoes its credentials in a 400 (returned to the caller), and in a 503 (retried, then /status)
      refuses: { fault: 'echo-key', apiKey: KEY },
      flaky: { fault: 'echo-key:503', apiKey: KEY },
      // echoes them in an in-stream error event after content was sent
      cuts: { fault: 'echo-key-mid-stream:2', apiKey: KEY },
      ok: { apiKey: KEY },
    });
    onCleanup(close);
    const provider = (name: string) => ({
      base_url: mocks[name]!.baseUrl,
      api_key: '${UPSTREAM_KEY}',
      headers: { 'x-api-key': '${HEADER_KEY}', 'x-goog-api-key': FOREIGN_KEY },
    });
    const names = ['refuses', 'flaky', 'cuts', 'ok'];
    const ledgerPath = join(mkdtempSync(join(tmpdir(), 'switchboard-redaction-')), 'ledger.db');
    const logs = logBuffer();
    const config = {
      providers: Object.fromEntries(names.map((n) => [`p-${n}`, provider(n)])),
      models: Object.fromEntries(
        names.map((n) => [n, { provider: `p-${n}`, price: { input: 1, output: 2 } }]),
      ),
      routes: {
        client: ['refuses'],
        chain: ['flaky', 'ok'],
        down: ['flaky'],
        mid: { models: ['cuts'], stream_recovery: 'error' },
      },
      retry: { max_retries: 1, base_delay_ms: 1, max_delay_ms: 2 },
      ledger: { path: ledgerPath },
      logging: { level: 'debug' },
    };
    const gateway: Gateway = await startGateway(config, {
      logger: logs.logger,
      port: 0,
      env: { UPSTREAM_KEY: KEY, HEADER_KEY },
    });
    onCleanup(() => gateway.close(1_000));
    const post = (route: string, extra: Record<string, unknown> = {}) =>
      fetch(`${gateway.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-switchboard-debug': '1' },
        body: JSON.stringify({ model: route, messages: [{ role: 'user', content: 'Hi' }], ...extra }),
      });
    const seen = async (where: string, res: Response) => {
      const headers = JSON.stringify([...res.headers]);
      const body = await res.text();
      expectNoSecret(`${where} headers`, headers);
      expectNoSecret(`${where} body`, body);
      return body;
    };

    // The upstream's 400 goes back to the caller, its message redacted (JSON, and a stream that never opened).
    const refused = await post('client');
    expect(refused.status).toBe(400);
    const refusedBody = JSON.parse(await seen('400 answer', refused)) as { error: { message: string } };
    expect(refusedBody.error.message).toContain('Received authorization "Bearer [redacted]"');
    expect(refusedBody.error.message).toContain('x-api-key "[redacted]"');
    expect((await post('client', { stream: true })).status).toBe(400);
    await seen('400 stream answer', await post('client', { stream: true }));

    // A 503 echo is retried and falls back: the answer, its headers and its debug view carry no key.
    const answered = await post('chain');
    expect(answered.status).toBe(200);
    const debug = JSON.parse(await seen('fallback answer', answered)) as {
      switchboard: { attempts: unknown[] };
    };
    expect(debug.switchboard.attempts).toHaveLength(3); // flaky, flaky again, ok
    expect((await post('down')).status).toBe(503);
    await seen('503 answer', await post('down'));

    // Content, then an in-stream error echoing the key: the stream ends with our error event.
    const cut = await post('mid', { stream: true });
    expect(cut.status).toBe(200);
    const frames = parseSseData(await seen('cut stream', cut));
    expect(JSON.parse(frames.at(-1) as string)).toMatchObject({ error: { code: 'stream_interrupted' } });

    // The library face, sb.chat, throws the same redacted message.
    const error = await gateway.switchboard
      .chat({ model: 'client', messages: [{ role: 'user', content: 'x' }] })
      .catch((e: Error) => e);
    expectNoSecret('sb.chat error', `${(error as Error).message} ${JSON.stringify(error)}`);

    // The operator's views.
    const status = await seen('/status', await fetch(`${gateway.url}/status`));
    expect(JSON.parse(status).models.flaky.last_error.message).toContain('[redacted]');
    await seen('/metrics', await fetch(`${gateway.url}/metrics`));
    await gateway.switchboard.ledger!.flush();
    const rows = await gateway.switchboard.ledger!.query({ sinceMs: 0, untilMs: Number.MAX_SAFE_INTEGER });
    expect(rows.requests.length).toBeGreaterThanOrEqual(7);
    expectNoSecret('ledger rows', JSON.stringify(rows));
    await seen('/report', await fetch(`${gateway.url}/report?format=json`));
    expect(logs.text()).toContain('[redacted]');
    expectNoSecret('log lines', logs.text());

    // The upstreams did receive the keys, in their headers only.
    const sent = mocks.refuses!.stats().log[0]!;
    expect(JSON.stringify(sent)).not.toContain(KEY);
  });

  it('the library face with its own logger: the thrown error and the log carry no key', async () => {
    const { mocks, close } = await startMocks({ refuses: { fault: 'echo-key:403', apiKey: KEY } });
    onCleanup(close);
    const logs = logBuffer();
    const sb = createSwitchboard(
      {
        providers: {
          p: { base_url: mocks.refuses!.baseUrl, api_key: KEY, headers: { 'x-api-key': HEADER_KEY } },
        },
        models: { m: { provider: 'p' } },
        routes: { main: ['m'] },
      },
      { logger: logs.logger },
    );
    onCleanup(() => sb.close());
    const error = await sb
      .chat({ model: 'main', messages: [{ role: 'user', content: 'x' }] })
      .catch((e: Error) => e);
    expect(error).toMatchObject({ code: 'all_models_failed' });
    expectNoSecret(
      'error',
      `${(error as Error).message} ${JSON.stringify((error as { metadata: unknown }).metadata)}`,
    );
    expect(logs.text()).toContain('Bearer [redacted]');
    expectNoSecret('log lines', logs.text());
  });
});
