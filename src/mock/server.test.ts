import { afterEach, describe, expect, it } from 'vitest';
import { readJson } from '../../test/support/http.js';
import { parseSseData } from '../../test/support/sse.js';
import { SwitchboardError } from '../common/errors.js';
import type { ChatCompletion, MockStats, ModelList, OpenAIErrorBody } from './index.js';
import { type MockProvider, type MockProviderOptions, startMockProvider } from './index.js';

let provider: MockProvider | undefined;

async function start(opts: MockProviderOptions = {}): Promise<MockProvider> {
  provider = await startMockProvider(opts);
  return provider;
}

afterEach(async () => {
  await provider?.close();
  provider = undefined;
});

function chat(p: MockProvider, body: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  return fetch(`${p.baseUrl}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ model: 'gpt-test', messages: [{ role: 'user', content: 'hi there!' }], ...body }),
  });
}

describe('startMockProvider', () => {
  it('listens on an ephemeral loopback port', async () => {
    const p = await start();
    expect(p.port).toBeGreaterThan(0);
    expect(p.url).toBe(`http://127.0.0.1:${p.port}`);
    expect(p.baseUrl).toBe(`${p.url}/v1`);
  });

  it('rejects an invalid initial fault and invalid setFault', async () => {
    await expect(startMockProvider({ fault: 'garbage' })).rejects.toMatchObject({ code: 'invalid_fault' });
    const p = await start();
    expect(() => p.setFault('garbage')).toThrow(SwitchboardError);
    expect(p.stats().fault).toBe('ok');
  });

  it('close() is idempotent', async () => {
    const p = await start();
    await p.close();
    await p.close();
  });
});

describe('chat completions (healthy)', () => {
  it('answers a non-stream request in the OpenAI shape', async () => {
    const p = await start({ name: 'alpha' });
    const res = await chat(p);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/json');
    const body = await readJson<ChatCompletion>(res);
    expect(body).toMatchObject({
      object: 'chat.completion',
      model: 'gpt-test',
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: 'Hello from alpha, a simulated provider.' },
          finish_reason: 'stop',
        },
      ],
      usage: { prompt_tokens: 3, completion_tokens: 6, total_tokens: 9 },
    });
    expect(body.id).toMatch(/^chatcmpl-/);
    expect(typeof body.created).toBe('number');
  });

  it('accepts /chat/completions without the /v1 prefix', async () => {
    const p = await start({ reply: 'x' });
    const res = await fetch(`${p.url}/chat/completions`, {
      method: 'POST',
      body: JSON.stringify({ model: 'm', messages: [] }),
    });
    expect(res.status).toBe(200);
    const body = await readJson<ChatCompletion>(res);
    expect(body.choices[0]?.message.content).toBe('x');
    expect(body.usage.prompt_tokens).toBe(1);
  });

  it('counts text parts of array contents for prompt tokens', async () => {
    const p = await start();
    const content = [
      { type: 'text', text: 'a'.repeat(10) },
      { type: 'image_url', image_url: { url: 'x' } },
    ];
    const res = await chat(p, {
      messages: [
        { role: 'system', content: 'b'.repeat(7) },
        { role: 'user', content },
      ],
    });
    expect((await readJson<ChatCompletion>(res)).usage.prompt_tokens).toBe(5);
  });

  it('streams one chunk per word, then finish, then [DONE]', async () => {
    const reply = 'The  quick brown fox.';
    const p = await start({ reply });
    const res = await chat(p, { stream: true });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const text = await res.text();
    expect(text.endsWith('data: [DONE]\n\n')).toBe(true);
    const data = parseSseData(text);
    expect(data.at(-1)).toBe('[DONE]');
    const chunks = data.slice(0, -1).map((d) => JSON.parse(d));
    expect(chunks).toHaveLength(1 + 4 + 1);
    for (const c of chunks) expect(c).toMatchObject({ object: 'chat.completion.chunk', model: 'gpt-test' });
    expect(chunks[0].choices[0]).toEqual({
      index: 0,
      delta: { role: 'assistant', content: '' },
      finish_reason: null,
    });
    const words = chunks.slice(1, -1).map((c) => c.choices[0].delta.content);
    expect(words).toEqual(['The  ', 'quick ', 'brown ', 'fox.']);
    expect(words.join('')).toBe(reply);
    expect(chunks.at(-1).choices[0]).toEqual({ index: 0, delta: {}, finish_reason: 'stop' });
    expect(new Set(chunks.map((c) => c.id)).size).toBe(1);
  });

  it('adds a usage chunk when stream_options.include_usage is set', async () => {
    const p = await start({ reply: 'one two three' });
    const res = await chat(p, { stream: true, stream_options: { include_usage: true } });
    const data = parseSseData(await res.text());
    expect(data.at(-1)).toBe('[DONE]');
    const usageChunk = JSON.parse(data.at(-2) ?? '');
    expect(usageChunk.choices).toEqual([]);
    expect(usageChunk.usage).toEqual({ prompt_tokens: 3, completion_tokens: 3, total_tokens: 6 });
    const finish = JSON.parse(data.at(-3) ?? '');
    expect(finish.choices[0].finish_reason).toBe('stop');
  });

  it('paces streams with tokensPerSec', async () => {
    const p = await start({ reply: 'a b c d e', tokensPerSec: 100 });
    const started = Date.now();
    const res = await chat(p, { stream: true });
    const data = parseSseData(await res.text());
    expect(data).toHaveLength(1 + 5 + 1 + 1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(30);
  });

  it('applies latencyMs before answering', async () => {
    const p = await start({ latencyMs: 40 });
    const started = Date.now();
    const res = await chat(p);
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(30);
  });

  it('rejects a body that is not JSON with a 400 in the OpenAI error shape', async () => {
    const p = await start();
    const res = await fetch(`${p.baseUrl}/chat/completions`, { method: 'POST', body: '{nope' });
    expect(res.status).toBe(400);
    const body = await readJson<OpenAIErrorBody>(res);
    expect(body).toMatchObject({ error: { type: 'invalid_request_error', param: null } });
    expect(typeof body.error.message).toBe('string');
    expect(p.stats()).toMatchObject({ requests: 1, completed: 1, byStatus: { '400': 1 } });
  });
});

describe('other endpoints', () => {
  it('lists one model named after the provider', async () => {
    const p = await start({ name: 'beta' });
    const res = await fetch(`${p.baseUrl}/models`);
    expect(res.status).toBe(200);
    const body = await readJson<ModelList>(res);
    expect(body.object).toBe('list');
    expect(body.data).toHaveLength(1);
    expect(body.data[0]).toMatchObject({ id: 'beta', object: 'model' });
  });

  it('answers unknown routes with a 404 OpenAI error', async () => {
    const p = await start();
    for (const [method, path] of [
      ['GET', '/v1/nothing'],
      ['GET', '/v1/chat/completions'],
      ['DELETE', '/__stats'],
    ] as const) {
      const res = await fetch(`${p.url}${path}`, { method });
      expect(res.status).toBe(404);
      const body = await readJson<OpenAIErrorBody>(res);
      expect(body.error).toMatchObject({ type: 'invalid_request_error', param: null });
      expect(body.error).toHaveProperty('code');
    }
    expect(p.stats().requests).toBe(0);
  });

  it('/__fault sets the mode, /__stats reports it, /__reset clears the counts', async () => {
    const p = await start({ name: 'gamma' });
    let res = await fetch(`${p.url}/__fault`, { method: 'POST', body: JSON.stringify({ fault: '503' }) });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, fault: '503' });

    expect((await chat(p)).status).toBe(503);
    expect((await chat(p)).status).toBe(503);

    res = await fetch(`${p.url}/__stats`);
    const stats = await readJson<MockStats>(res);
    expect(stats).toMatchObject({ name: 'gamma', fault: '503', requests: 2, completed: 2, aborted: 0 });
    expect(stats.byStatus).toEqual({ '503': 2 });
    expect(stats.log).toHaveLength(2);
    expect(stats.log[0]).toMatchObject({
      model: 'gpt-test',
      stream: false,
      status: 503,
      fault: '503',
      outcome: 'error',
    });
    expect(stats.log[0]?.body).toMatchObject({ messages: [{ content: 'hi there!' }] });
    expect(stats).toEqual(p.stats());

    res = await fetch(`${p.url}/__reset`, { method: 'POST' });
    expect(res.status).toBe(200);
    expect(p.stats()).toMatchObject({ fault: '503', requests: 0, completed: 0, byStatus: {}, log: [] });
  });

  it('/__fault rejects an invalid spec with a 400 listing valid modes', async () => {
    const p = await start();
    let res = await fetch(`${p.url}/__fault`, {
      method: 'POST',
      body: JSON.stringify({ fault: 'sometimes' }),
    });
    expect(res.status).toBe(400);
    const body = await readJson<OpenAIErrorBody>(res);
    expect(body.error.code).toBe('invalid_fault');
    expect(body.error.message).toContain('flaky:P');
    res = await fetch(`${p.url}/__fault`, { method: 'POST', body: 'not json' });
    expect(res.status).toBe(400);
    expect(p.stats().fault).toBe('ok');
  });
});

describe('apiKey', () => {
  it('requires the bearer key and never echoes it', async () => {
    const apiKey = 'sk-secret-123';
    const p = await start({ apiKey });

    const missing = await chat(p);
    expect(missing.status).toBe(401);
    const missingBody = await readJson<OpenAIErrorBody>(missing);
    expect(missingBody.error).toMatchObject({ type: 'invalid_request_error', code: 'invalid_api_key' });

    const wrong = await chat(p, {}, { authorization: 'Bearer sk-wrong' });
    expect(wrong.status).toBe(401);
    const wrongText = await wrong.text();
    expect(wrongText).not.toContain('sk-wrong');
    expect(wrongText).toContain('invalid_api_key');

    const ok = await chat(p, {}, { authorization: `Bearer ${apiKey}` });
    expect(ok.status).toBe(200);
    await ok.json();

    expect((await fetch(`${p.baseUrl}/models`)).status).toBe(401);
    const models = await fetch(`${p.baseUrl}/models`, { headers: { authorization: `Bearer ${apiKey}` } });
    expect(models.status).toBe(200);

    const stats = p.stats();
    expect(stats.byStatus).toEqual({ '401': 2, '200': 1 });
    expect(JSON.stringify(stats)).not.toContain(apiKey);
  });
});

describe('log', () => {
  it('is a ring buffer bounded by maxLogEntries', async () => {
    const p = await start({ maxLogEntries: 3 });
    for (let i = 0; i < 5; i++) await (await chat(p, { model: `m${i}` })).json();
    const stats = p.stats();
    expect(stats.requests).toBe(5);
    expect(stats.completed).toBe(5);
    expect(stats.log.map((e) => e.model)).toEqual(['m2', 'm3', 'm4']);
    for (const entry of stats.log) {
      expect(entry.outcome).toBe('ok');
      expect(entry.durationMs).toBeGreaterThanOrEqual(0);
      expect(entry.t).toBeGreaterThan(0);
    }
  });

  it('keeps connections alive across requests', async () => {
    const p = await start();
    for (let i = 0; i < 20; i++) {
      const res = await chat(p);
      expect(res.headers.get('connection')).toBe('keep-alive');
      await res.text();
    }
    expect(p.stats()).toMatchObject({ requests: 20, completed: 20, byStatus: { '200': 20 } });
  });
});
