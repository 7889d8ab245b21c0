import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { readJson, waitForStats } from '../../test/support/http.js';
import type { ChatCompletion, OpenAIErrorBody } from './index.js';
import { type MockProvider, type MockProviderOptions, startMockProvider } from './index.js';

const providers: MockProvider[] = [];

async function start(opts: MockProviderOptions = {}): Promise<MockProvider> {
  const p = await startMockProvider({ reply: 'one two three four', ...opts });
  providers.push(p);
  return p;
}

afterEach(async () => {
  await Promise.all(providers.splice(0).map((p) => p.close()));
});

function chat(p: MockProvider, body: Record<string, unknown> = {}, signal?: AbortSignal) {
  return fetch(`${p.baseUrl}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'up-model', messages: [{ role: 'user', content: 'hello' }], ...body }),
    ...(signal ? { signal } : {}),
  });
}

const stream = { stream: true };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('status faults', () => {
  it.each([500, 503, 502, 504, 529])('%i returns a server_error', async (status) => {
    const p = await start({ fault: String(status) });
    for (const body of [{}, stream]) {
      const res = await chat(p, body);
      expect(res.status).toBe(status);
      const json = await readJson<OpenAIErrorBody>(res);
      expect(json.error).toMatchObject({ type: 'server_error', param: null });
      expect(typeof json.error.message).toBe('string');
    }
    expect(p.stats()).toMatchObject({ requests: 2, completed: 2, byStatus: { [String(status)]: 2 } });
    expect(p.stats().log.map((e) => e.outcome)).toEqual(['error', 'error']);
  });

  it.each([
    [400, 'invalid_request_error', null],
    [401, 'invalid_request_error', 'invalid_api_key'],
    [402, 'insufficient_quota', 'insufficient_quota'],
    [403, 'permission_error', 'permission_denied'],
    [404, 'invalid_request_error', 'model_not_found'],
    [408, 'timeout_error', 'request_timeout'],
    [413, 'invalid_request_error', 'request_too_large'],
    [422, 'invalid_request_error', 'unprocessable_entity'],
    [418, 'invalid_request_error', null],
  ])('%i returns a fitting OpenAI error', async (status, type, code) => {
    const p = await start({ fault: String(status) });
    const res = await chat(p);
    expect(res.status).toBe(status);
    const json = await readJson<OpenAIErrorBody>(res);
    expect(json).toEqual({ error: { message: expect.any(String), type, param: null, code } });
    if (status === 404) expect(json.error.message).toContain('up-model');
  });

  it('429 without a delay sends no Retry-After', async () => {
    const p = await start({ fault: '429' });
    const res = await chat(p);
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBeNull();
    expect(res.headers.get('retry-after-ms')).toBeNull();
    expect((await readJson<OpenAIErrorBody>(res)).error).toMatchObject({
      type: 'rate_limit_error',
      code: 'rate_limit_exceeded',
    });
  });

  it('429:S sends Retry-After in seconds', async () => {
    const p = await start({ fault: '429:3' });
    const res = await chat(p, stream);
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('3');
    await res.json();
  });

  it('429ms:MS sends retry-after-ms', async () => {
    const p = await start({ fault: '429ms:250' });
    const res = await chat(p);
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after-ms')).toBe('250');
    expect(res.headers.get('retry-after')).toBeNull();
    expect((await readJson<OpenAIErrorBody>(res)).error.code).toBe('rate_limit_exceeded');
  });

  it('context-length returns context_length_exceeded', async () => {
    const p = await start({ fault: 'context-length' });
    const res = await chat(p, stream);
    expect(res.status).toBe(400);
    const json = await readJson<OpenAIErrorBody>(res);
    expect(json.error).toMatchObject({
      type: 'invalid_request_error',
      param: 'messages',
      code: 'context_length_exceeded',
    });
    expect(json.error.message).toMatch(/^This model's maximum context length is 8192 tokens/);
  });

  it('content-filter returns content_filter', async () => {
    const p = await start({ fault: 'content-filter' });
    const res = await chat(p);
    expect(res.status).toBe(400);
    const json = await readJson<OpenAIErrorBody>(res);
    expect(json.error).toMatchObject({ type: 'invalid_request_error', code: 'content_filter' });
    expect(json.error.message).toContain('content management policy');
  });
});

describe('connection faults', () => {
  it('timeout never answers; a client abort is counted as aborted', async () => {
    const p = await start({ fault: 'timeout' });
    const ac = new AbortController();
    const pending = chat(p, {}, ac.signal);
    await waitForStats(p, (s) => s.requests === 1);
    expect(p.stats().log[0]?.outcome).toBe('hung');
    setTimeout(() => ac.abort(), 100);
    await expect(pending).rejects.toThrow();
    const stats = await waitForStats(p, (s) => s.aborted === 1);
    expect(stats).toMatchObject({ requests: 1, completed: 0, aborted: 1, byStatus: {} });
    expect(stats.log[0]).toMatchObject({ outcome: 'aborted', fault: 'timeout', stream: false });
    expect(stats.log[0]?.durationMs).toBeGreaterThanOrEqual(50);
  });

  it('a client that leaves while sending its body is counted as aborted', async () => {
    const p = await start();
    const socket = connect(p.port, '127.0.0.1');
    socket.write('POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{"model":');
    await waitForStats(p, (s) => s.requests === 1);
    socket.destroy();
    const stats = await waitForStats(p, (s) => s.aborted === 1);
    expect(stats.log[0]?.outcome).toBe('aborted');
  });

  it('close() destroys hanging sockets', async () => {
    const p = await start({ fault: 'timeout' });
    const pending = chat(p, stream);
    await waitForStats(p, (s) => s.requests === 1);
    await p.close();
    await expect(pending).rejects.toThrow();
    expect(p.stats().aborted).toBe(0);
  });

  it('reset destroys the socket before any header', async () => {
    const p = await start({ fault: 'reset' });
    await expect(chat(p)).rejects.toThrow();
    const stats = await waitForStats(p, (s) => s.log[0]?.outcome === 'reset');
    expect(stats).toMatchObject({ requests: 1, completed: 0, aborted: 0, byStatus: {} });
    p.setFault('ok');
    expect((await chat(p)).status).toBe(200);
  });

  it('down-for:MS returns 503 for MS after setFault, then recovers', async () => {
    const p = await start();
    p.setFault('down-for:100');
    expect((await chat(p)).status).toBe(503);
    await sleep(130);
    expect((await chat(p)).status).toBe(200);
    p.reset();
    expect((await chat(p)).status).toBe(503);
    expect(p.stats().fault).toBe('down-for:100');
  });
});

describe('flaky', () => {
  async function statuses(p: MockProvider, n: number): Promise<number[]> {
    const out: number[] = [];
    for (let i = 0; i < n; i++) {
      const res = await chat(p);
      await res.arrayBuffer();
      out.push(res.status);
    }
    return out;
  }

  it('is deterministic for a seed and mixes 503 with 200', async () => {
    const a = await start({ fault: 'flaky:0.5', seed: 7 });
    const b = await start({ fault: 'flaky:0.5', seed: 7 });
    const seqA = await statuses(a, 20);
    expect(await statuses(b, 20)).toEqual(seqA);
    expect(seqA).toContain(503);
    expect(seqA).toContain(200);
    expect(new Set(seqA)).toEqual(new Set([200, 503]));
    a.reset();
    expect(await statuses(a, 20)).toEqual(seqA);
    const c = await start({ fault: 'flaky:0.5', seed: 8 });
    expect(await statuses(c, 20)).not.toEqual(seqA);
  });

  it('flaky:0 never fails and flaky:1 always fails', async () => {
    const p = await start({ fault: 'flaky:0' });
    expect(await statuses(p, 5)).toEqual([200, 200, 200, 200, 200]);
    p.setFault('flaky:1');
    expect(await statuses(p, 5)).toEqual([503, 503, 503, 503, 503]);
  });
});

describe('body faults', () => {
  it('bad-json returns 200 JSON with a truncated body', async () => {
    const p = await start({ fault: 'bad-json' });
    const res = await chat(p);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/json');
    const text = await res.text();
    expect(text.startsWith('{"id":"chatcmpl-')).toBe(true);
    expect(() => JSON.parse(text)).toThrow();
    expect(p.stats().completed).toBe(1);
  });

  it('empty-choices returns choices: []', async () => {
    const p = await start({ fault: 'empty-choices' });
    const res = await chat(p);
    expect(res.status).toBe(200);
    const json = await readJson<ChatCompletion>(res);
    expect(json.object).toBe('chat.completion');
    expect(json.choices).toEqual([]);
  });
});
