import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RequestFailedError } from '../../src/routing/errors.js';
import { createSwitchboard } from '../../src/switchboard.js';
import { configFor, hello, startMocks } from '../support/engine.js';

let cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

const ALL = { sinceMs: 0, untilMs: Number.MAX_SAFE_INTEGER };

describe('the ledger in the library', () => {
  it('records sb.chat, sb.stream and a caller’s abort, once each', async () => {
    const { mocks, close } = await startMocks({ a: { fault: '503' }, b: {}, t: { fault: 'timeout' } });
    cleanup.push(close);
    const path = join(mkdtempSync(join(tmpdir(), 'switchboard-ledger-')), 'ledger.db');
    const sb = createSwitchboard(
      configFor(mocks, {
        routes: { main: ['a', 'b'], slow: ['t'] },
        retry: { max_retries: 0 },
        ledger: { path },
      }),
      { logger: false },
    );
    cleanup.push(() => sb.close());
    await sb.chat(hello(), { requestId: 'chat' });
    const stream = await sb.stream(hello('main', { stream: true }), { requestId: 'stream' });
    for await (const _ of stream) {
      // drain
    }
    const controller = new AbortController();
    const pending = sb.chat(hello('slow'), { signal: controller.signal, requestId: 'aborted' });
    await expect.poll(() => mocks.t!.stats().requests).toBe(1);
    controller.abort();
    await expect(pending).rejects.toBeInstanceOf(RequestFailedError);
    await sb.ledger!.flush();
    const rows = await sb.ledger!.query(ALL);
    expect(rows.requests.map((r) => [r.requestId, r.outcome, r.model])).toEqual([
      ['chat', 'success', 'b'],
      ['stream', 'success', 'b'],
      ['aborted', 'cancelled', null],
    ]);
    expect(rows.requests[1]?.timeToFirstTokenMs).toBeGreaterThan(0);
  });

  it('records nothing unless configured; defaultLedgerPath applies only without a ledger key', async () => {
    const { mocks, close } = await startMocks({ a: {} });
    cleanup.push(close);
    const dir = mkdtempSync(join(tmpdir(), 'switchboard-ledger-'));
    const none = createSwitchboard(configFor(mocks), { logger: false });
    cleanup.push(() => none.close());
    expect(none.ledger).toBeUndefined();
    const defaulted = createSwitchboard(configFor(mocks), {
      logger: false,
      defaultLedgerPath: join(dir, 'd.db'),
    });
    cleanup.push(() => defaulted.close());
    await defaulted.chat(hello());
    expect((await defaulted.ledger!.query(ALL)).requests).toHaveLength(1);
    const off = createSwitchboard(configFor(mocks, { ledger: 'off' }), {
      logger: false,
      defaultLedgerPath: join(dir, 'off.db'),
    });
    cleanup.push(() => off.close());
    expect(off.ledger).toBeUndefined();
  });
});
