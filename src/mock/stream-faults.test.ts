import { afterEach, describe, expect, it } from 'vitest';
import { readJson, waitForStats } from '../../test/support/http.js';
import { parseSseData, readUntilError } from '../../test/support/sse.js';
import type { ChatCompletion } from './index.js';
import { type MockProvider, type MockProviderOptions, startMockProvider } from './index.js';

const REPLY = 'one two three four';
let provider: MockProvider | undefined;

async function start(opts: MockProviderOptions = {}): Promise<MockProvider> {
  provider = await startMockProvider({ reply: REPLY, ...opts });
  return provider;
}

afterEach(async () => {
  await provider?.close();
  provider = undefined;
});

function chat(p: MockProvider, stream = true, signal?: AbortSignal) {
  return fetch(`${p.baseUrl}/chat/completions`, {
    method: 'POST',
    body: JSON.stringify({ model: 'up', messages: [{ role: 'user', content: 'hello' }], stream }),
    ...(signal ? { signal } : {}),
  });
}

function contents(data: string[]): string[] {
  return data
    .filter((d) => d !== '[DONE]' && d.startsWith('{"'))
    .map((d) => JSON.parse(d).choices[0]?.delta?.content)
    .filter((c): c is string => typeof c === 'string' && c !== '');
}

describe('stream faults', () => {
  it('stream-cut:N sends N content chunks then destroys the socket', async () => {
    const p = await start({ fault: 'stream-cut:2' });
    const res = await chat(p);
    expect(res.status).toBe(200);
    const { text, error } = await readUntilError(res);
    expect(error).toBeDefined();
    const data = parseSseData(text);
    expect(data).not.toContain('[DONE]');
    expect(contents(data)).toEqual(['one ', 'two ']);
    expect(text).not.toContain('"finish_reason":"stop"');
    const stats = await waitForStats(p, (s) => s.log[0]?.outcome === 'cut');
    expect(stats).toMatchObject({ requests: 1, completed: 0, aborted: 0, byStatus: { '200': 1 } });
  });

  it('stream-cut makes a fetch body read reject', async () => {
    const p = await start({ fault: 'stream-cut:0' });
    const res = await chat(p);
    await expect(res.text()).rejects.toThrow();
  });

  it('stream-only faults leave non-stream requests alone', async () => {
    for (const fault of ['stream-cut:1', 'stall:1:500', 'malformed:1', 'no-done']) {
      const p = await start({ fault });
      const res = await chat(p, false);
      expect(res.status).toBe(200);
      expect((await readJson<ChatCompletion>(res)).choices[0]?.message.content).toBe(REPLY);
      await p.close();
    }
  });

  it('stall:N:MS pauses after N chunks, then finishes normally', async () => {
    const p = await start({ fault: 'stall:1:80' });
    const started = Date.now();
    const res = await chat(p);
    const data = parseSseData(await res.text());
    expect(Date.now() - started).toBeGreaterThanOrEqual(60);
    expect(data.at(-1)).toBe('[DONE]');
    expect(contents(data).join('')).toBe(REPLY);
    expect(p.stats().log[0]).toMatchObject({ outcome: 'ok', status: 200, stream: true, fault: 'stall:1:80' });
  });

  it('a client that leaves during a stall is counted as aborted', async () => {
    const p = await start({ fault: 'stall:1:5000' });
    const ac = new AbortController();
    const res = await chat(p, true, ac.signal);
    const reader = res.body!.getReader();
    await reader.read();
    ac.abort();
    await expect(reader.read()).rejects.toThrow();
    const stats = await waitForStats(p, (s) => s.aborted === 1);
    expect(stats.log[0]?.outcome).toBe('aborted');
    expect(stats.completed).toBe(0);
    p.setFault('ok');
    expect((await chat(p)).status).toBe(200);
  });

  it('slow-first-token sends headers at once, then waits before the first chunk', async () => {
    const p = await start({ fault: 'slow-first-token:80' });
    const res = await chat(p);
    const headersAt = Date.now();
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const data = parseSseData(await res.text());
    expect(Date.now() - headersAt).toBeGreaterThanOrEqual(50);
    expect(contents(data).join('')).toBe(REPLY);
    expect(data.at(-1)).toBe('[DONE]');
  });

  it('slow-first-token delays non-stream answers', async () => {
    const p = await start({ fault: 'slow-first-token:60' });
    const started = Date.now();
    const res = await chat(p, false);
    expect((await readJson<ChatCompletion>(res)).choices[0]?.message.content).toBe(REPLY);
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
  });

  it('malformed:N replaces the Nth content chunk with invalid JSON', async () => {
    const p = await start({ fault: 'malformed:2' });
    const res = await chat(p);
    const text = await res.text();
    expect(text).toContain('data: {not json\n\n');
    const data = parseSseData(text);
    expect(data[2]).toBe('{not json');
    expect(data.at(-1)).toBe('[DONE]');
    expect(contents(data)).toEqual(['one ', 'three ', 'four']);
    expect(data.filter((d) => d !== '{not json' && d !== '[DONE]').every((d) => JSON.parse(d))).toBe(true);
  });

  it('no-done ends cleanly after the finish chunk without [DONE]', async () => {
    const p = await start({ fault: 'no-done' });
    const res = await chat(p);
    const text = await res.text();
    const data = parseSseData(text);
    expect(data).not.toContain('[DONE]');
    expect(JSON.parse(data.at(-1) ?? '').choices[0].finish_reason).toBe('stop');
    expect(contents(data).join('')).toBe(REPLY);
    expect(p.stats().log[0]?.outcome).toBe('ok');
  });

  it('empty-choices streams a chunk with no choices', async () => {
    const p = await start({ fault: 'empty-choices' });
    const data = parseSseData(await (await chat(p)).text());
    expect(data.at(-1)).toBe('[DONE]');
    expect(JSON.parse(data[0] ?? '').choices).toEqual([]);
    expect(contents(data)).toEqual([]);
  });

  it('a client that leaves a paced stream is counted as aborted', async () => {
    const p = await start({ reply: 'a b c d e f g h i j', tokensPerSec: 20 });
    const ac = new AbortController();
    const res = await chat(p, true, ac.signal);
    const reader = res.body!.getReader();
    await reader.read();
    ac.abort();
    const stats = await waitForStats(p, (s) => s.aborted === 1);
    expect(stats).toMatchObject({ requests: 1, completed: 0, byStatus: { '200': 1 } });
  });
});
