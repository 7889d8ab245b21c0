import { once } from 'node:events';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../common/clock.js';
import { LinkedAbort } from '../common/linked-abort.js';
import { dispatchStream } from './dispatch-stream.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A server that answers with `write(res)`, and tells when a response was closed before its end. */
async function serve(write: (res: ServerResponse) => void | Promise<void>) {
  const cutShort: boolean[] = [];
  const server = createServer((req, res) => {
    req.resume();
    res.on('close', () => cutShort.push(!res.writableFinished));
    void write(res);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const pool = new Pool(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  cleanups.push(
    () => new Promise<void>((resolve) => server.close(() => resolve())),
    () => {
      server.closeAllConnections();
    },
    () => pool.destroy(),
  );
  return { pool, cutShort };
}

const post = { path: '/', method: 'POST' as const, body: '{}' };

describe('dispatchStream', () => {
  it('delivers every piece in order, pausing the upstream while the reader lags', async () => {
    const pieces = Array.from({ length: 200 }, (_, i) => `piece ${i};`);
    const { pool } = await serve(async (res) => {
      res.writeHead(200, { 'content-type': 'text/plain', 'x-one': '1' });
      for (const p of pieces) {
        if (!res.write(p)) await once(res, 'drain');
        await new Promise((r) => setImmediate(r)); // separate reads, so pieces queue up
      }
      res.end();
    });
    const signal = new LinkedAbort(systemClock);
    const response = await dispatchStream(pool, post, signal);
    expect(response.statusCode).toBe(200);
    expect(response.headers()['x-one']).toBe('1');
    let text = '';
    let reads = 0;
    for await (const piece of response.body) {
      text += piece.toString();
      // a slow reader: the body must hold what arrives meanwhile, and lose nothing
      if (++reads % 10 === 0) await new Promise((r) => setTimeout(r, 5));
    }
    expect(text).toBe(pieces.join(''));
  });

  it('an abandoned body aborts its request; a finished one does not', async () => {
    const { pool, cutShort } = await serve(async (res) => {
      res.writeHead(200);
      res.write('first;');
      await new Promise((r) => setTimeout(r, 50));
      if (!res.destroyed) res.end('last;');
    });
    const abandoned = await dispatchStream(pool, post, new LinkedAbort(systemClock));
    for await (const _ of abandoned.body) break;
    const finished = await dispatchStream(pool, post, new LinkedAbort(systemClock));
    expect(await finished.body.text()).toBe('first;last;');
    await expect.poll(() => cutShort.length).toBe(2);
    expect(cutShort.sort()).toEqual([false, true]);
  });

  it('fails the body with the signal reason when the signal aborts mid-body', async () => {
    const { pool } = await serve((res) => {
      res.writeHead(200);
      res.write('first;'); // and never ends
    });
    const signal = new LinkedAbort(systemClock);
    const response = await dispatchStream(pool, post, signal);
    const reader = response.body[Symbol.asyncIterator]();
    expect((await reader.next()).value?.toString()).toBe('first;');
    const reason = new Error('stalled');
    const pending = reader.next();
    signal.abort(reason);
    await expect(pending).rejects.toBe(reason);
  });

  it('rejects with the signal reason when aborted before the headers', async () => {
    const { pool } = await serve(() => {}); // never answers
    const signal = new LinkedAbort(systemClock);
    const reason = new Error('deadline');
    const pending = dispatchStream(pool, post, signal);
    setTimeout(() => signal.abort(reason), 10);
    await expect(pending).rejects.toBe(reason);
  });
});
