import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { startGateway } from '../../src/gateway.js';
import { createSwitchboard } from '../../src/switchboard.js';
import { configFor, onCleanup, startMocks } from '../support/engine.js';
import { parseSseData } from '../support/sse.js';

describe('gateway: a stream still flowing at the end of the shutdown grace', () => {
  it('ends with a shutdown error event (not a bare reset), and is logged and in the ledger as shutdown', async () => {
    // A slow stream: 2 words a second, so it is still flowing when the 100 ms grace ends.
    const { mocks, close } = await startMocks({
      a: { tokensPerSec: 2, reply: 'one two three four five six' },
    });
    onCleanup(close);
    const path = join(mkdtempSync(join(tmpdir(), 'switchboard-shutdown-')), 'ledger.db');
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(...String(chunk).split('\n').filter(Boolean));
        done();
      },
    });
    const config = configFor(mocks, { ledger: { path } });
    const gateway = await startGateway(config, { logger: pino({ level: 'info' }, sink), port: 0 });
    const response = await fetch(`${gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'cut-by-shutdown' },
      body: JSON.stringify({ model: 'main', stream: true, messages: [{ role: 'user', content: 'Hi' }] }),
    });
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    await reader.read(); // the stream has started
    const closed = gateway.close(100);
    let text = '';
    const decoder = new TextDecoder();
    for (;;) {
      const { done, value } = await reader.read(); // a reset would reject here
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
    await closed;

    const frames = parseSseData(text);
    expect(frames).not.toContain('[DONE]');
    const last = JSON.parse(frames.at(-1) as string) as { error?: { code: string; message: string } };
    expect(last.error?.code).toBe('shutdown');
    expect(last.error?.message).toContain('shutting down');

    const logged = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(logged).toContainEqual(
      expect.objectContaining({ type: 'request.failed', requestId: 'cut-by-shutdown', code: 'shutdown' }),
    );
    const reopened = createSwitchboard(config, { logger: false });
    onCleanup(() => reopened.close());
    const rows = await reopened.ledger!.query({ sinceMs: 0, untilMs: Number.MAX_SAFE_INTEGER });
    expect(rows.requests.find((r) => r.requestId === 'cut-by-shutdown')?.outcome).toBe('shutdown');
  });
});
