import { afterEach, describe, expect, it } from 'vitest';
import { readJson, waitForStats } from '../../../test/support/http.js';
import { parseSseData, readUntilError } from '../../../test/support/sse.js';
import { type MockProvider, type MockProviderOptions, startMockProvider } from '../index.js';

const providers: MockProvider[] = [];

async function start(opts: MockProviderOptions = {}): Promise<MockProvider> {
  const p = await startMockProvider({ protocol: 'gemini', reply: 'one two three four', ...opts });
  providers.push(p);
  return p;
}

afterEach(async () => {
  await Promise.all(providers.splice(0).map((p) => p.close()));
});

const prompt = { contents: [{ role: 'user', parts: [{ text: 'hello' }] }] };
function generate(p: MockProvider, opts: { stream?: boolean; body?: unknown; key?: string } = {}) {
  const method = opts.stream ? 'streamGenerateContent?alt=sse' : 'generateContent';
  return fetch(`${p.baseUrl}/v1beta/models/gem-model:${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(opts.key ? { 'x-goog-api-key': opts.key } : {}) },
    body: JSON.stringify(opts.body ?? prompt),
  });
}
type GoogleError = { error: { code: number; status: string; message: string; details?: unknown[] } };
type Answer = {
  candidates?: Array<{
    content?: { parts: Array<{ text?: string; functionCall?: unknown }> };
    finishReason?: string;
  }>;
  promptFeedback?: { blockReason: string };
  usageMetadata?: Record<string, number>;
};
const pieces = async (res: Response) => parseSseData(await res.text()).map((d) => JSON.parse(d) as Answer);
const text = (answers: Answer[]) =>
  answers.map((a) => a.candidates?.[0]?.content?.parts.map((p) => p.text ?? '').join('') ?? '').join('');

describe('the Gemini simulator: answers', () => {
  it('baseUrl is the SDK base (no /v1); JSON answer in Google shape; the log names the model', async () => {
    const p = await start({ cachedTokens: 3, thoughtsTokens: 2 });
    expect(p.baseUrl).toBe(p.url);
    const res = await generate(p);
    expect(res.status).toBe(200);
    const body = await readJson<Answer>(res);
    expect(body.candidates?.[0]).toMatchObject({
      content: { parts: [{ text: 'one two three four' }] },
      finishReason: 'STOP',
    });
    expect(body.usageMetadata).toMatchObject({
      promptTokenCount: 5,
      candidatesTokenCount: 4,
      totalTokenCount: 11,
      cachedContentTokenCount: 3,
      thoughtsTokenCount: 2,
    });
    expect(p.stats().log[0]).toMatchObject({ model: 'gem-model', stream: false, status: 200, outcome: 'ok' });
  });

  it('streams one piece per word, then a STOP piece with the full usage; CRLF-separated, no [DONE]', async () => {
    const p = await start();
    const res = await generate(p, { stream: true });
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const raw = await res.clone().text();
    expect(raw).toContain('\r\n\r\n');
    expect(raw).not.toContain('[DONE]');
    const answers = await pieces(res);
    expect(answers).toHaveLength(5);
    expect(text(answers)).toBe('one two three four');
    expect(answers.at(-1)?.candidates?.[0]?.finishReason).toBe('STOP');
    expect(answers.at(-1)?.usageMetadata?.candidatesTokenCount).toBe(4);
  });

  it('continues a trailing model turn (prefill), or refuses it with assistantPrefill: false', async () => {
    const body = { contents: [...prompt.contents, { role: 'model', parts: [{ text: 'one two ' }] }] };
    const p = await start();
    expect(text([await readJson<Answer>(await generate(p, { body }))])).toBe('three four');
    const strict = await start({ assistantPrefill: false });
    const res = await generate(strict, { body });
    expect(res.status).toBe(400);
    expect((await readJson<GoogleError>(res)).error).toMatchObject({ status: 'INVALID_ARGUMENT' });
  });

  it('toolCall: a whole functionCall while tools are declared and no result came back yet', async () => {
    const p = await start({ toolCall: 'lookup', reply: '{"q":"x"}' });
    const tools = [{ functionDeclarations: [{ name: 'lookup' }] }];
    const json = await readJson<Answer>(await generate(p, { body: { ...prompt, tools } }));
    expect(json.candidates?.[0]?.content?.parts).toEqual([
      { functionCall: { name: 'lookup', args: { q: 'x' } } },
    ]);
    const streamed = await pieces(await generate(p, { stream: true, body: { ...prompt, tools } }));
    expect(streamed[0]?.candidates?.[0]?.content?.parts).toEqual([
      { functionCall: { name: 'lookup', args: { q: 'x' } } },
    ]);
    const answered = {
      tools,
      contents: [
        ...prompt.contents,
        { role: 'model', parts: [{ functionCall: { name: 'lookup', args: {} } }] },
        { role: 'user', parts: [{ functionResponse: { name: 'lookup', response: { r: 1 } } }] },
      ],
    };
    expect(text([await readJson<Answer>(await generate(p, { body: answered }))])).toBe('{"q":"x"}');
  });

  it('keys: missing → 403 PERMISSION_DENIED, wrong → 400 with ErrorInfo API_KEY_INVALID, right → 200', async () => {
    const p = await start({ apiKey: 'k1' });
    const missing = await generate(p);
    expect([missing.status, (await readJson<GoogleError>(missing)).error.status]).toEqual([
      403,
      'PERMISSION_DENIED',
    ]);
    const wrong = await generate(p, { key: 'k2' });
    expect(wrong.status).toBe(400);
    expect(JSON.stringify(await wrong.json())).toContain('API_KEY_INVALID');
    expect((await generate(p, { key: 'k1' })).status).toBe(200);
  });

  it('Google-shaped 404 for other paths; /__stats, /__fault, /__reset still work', async () => {
    const p = await start();
    const res = await fetch(`${p.url}/v1/chat/completions`, { method: 'POST', body: '{}' });
    expect([res.status, (await readJson<GoogleError>(res)).error.status]).toEqual([404, 'NOT_FOUND']);
    const fault = await fetch(`${p.url}/__fault`, { method: 'POST', body: JSON.stringify({ fault: '503' }) });
    expect(await fault.json()).toEqual({ ok: true, fault: '503' });
    expect((await generate(p)).status).toBe(503);
    expect(((await (await fetch(`${p.url}/__stats`)).json()) as { requests: number }).requests).toBe(1);
    await fetch(`${p.url}/__reset`, { method: 'POST' });
    expect(p.stats().requests).toBe(0);
  });
});

describe('the Gemini simulator: fault modes on the Gemini wire', () => {
  it.each([
    ['500', 500, 'INTERNAL'],
    ['503', 503, 'UNAVAILABLE'],
    ['504', 504, 'DEADLINE_EXCEEDED'],
    ['401', 401, 'UNAUTHENTICATED'],
    ['403', 403, 'PERMISSION_DENIED'],
    ['404', 404, 'NOT_FOUND'],
    ['429', 429, 'RESOURCE_EXHAUSTED'],
    ['context-length', 400, 'INVALID_ARGUMENT'],
  ])('%s → %i %s, JSON and stream', async (spec, code, status) => {
    const p = await start({ fault: spec });
    for (const stream of [false, true]) {
      const res = await generate(p, { stream });
      expect(res.status).toBe(code);
      expect((await readJson<GoogleError>(res)).error).toMatchObject({ code, status });
    }
  });

  it.each([
    ['429:30', '30s'],
    ['429ms:1500', '1.5s'],
  ])('%s carries google.rpc.RetryInfo retryDelay %s and no Retry-After header', async (spec, delay) => {
    const p = await start({ fault: spec });
    const res = await generate(p);
    expect(res.headers.get('retry-after')).toBeNull();
    expect((await readJson<GoogleError>(res)).error.details).toContainEqual({
      '@type': 'type.googleapis.com/google.rpc.RetryInfo',
      retryDelay: delay,
    });
  });

  it('content-filter: the prompt blocked; safety-block: a SAFETY finish without content; empty-choices: no candidates', async () => {
    const p = await start({ fault: 'content-filter' });
    for (const stream of [false, true]) {
      const [answer] = stream
        ? await pieces(await generate(p, { stream }))
        : [await readJson<Answer>(await generate(p))];
      expect(answer?.promptFeedback?.blockReason).toBe('SAFETY');
    }
    p.setFault('safety-block');
    for (const stream of [false, true]) {
      const [answer] = stream
        ? await pieces(await generate(p, { stream }))
        : [await readJson<Answer>(await generate(p))];
      expect(answer?.candidates?.[0]).toMatchObject({ finishReason: 'SAFETY' });
      expect(answer?.candidates?.[0]?.content).toBeUndefined();
    }
    p.setFault('empty-choices');
    expect((await readJson<Answer>(await generate(p))).candidates).toBeUndefined();
  });

  it('bad-json: a truncated 200 body', async () => {
    const p = await start({ fault: 'bad-json' });
    const res = await generate(p);
    expect(res.status).toBe(200);
    await expect(res.json()).rejects.toThrow();
  });

  it('stream-cut:2 sends two pieces and destroys the socket', async () => {
    const p = await start({ fault: 'stream-cut:2' });
    const { text: raw, error } = await readUntilError(await generate(p, { stream: true }));
    expect(error).toBeDefined();
    expect(text(parseSseData(raw).map((d) => JSON.parse(d) as Answer))).toBe('one two ');
    await waitForStats(p, (s) => s.log[0]?.outcome === 'cut');
  });

  it('malformed:2 replaces the second piece; no-done leaves out the STOP piece', async () => {
    const p = await start({ fault: 'malformed:2' });
    expect(parseSseData(await (await generate(p, { stream: true })).text())[1]?.trim()).toBe('{not json');
    p.setFault('no-done');
    const answers = await pieces(await generate(p, { stream: true }));
    expect(text(answers)).toBe('one two three four');
    expect(answers.some((a) => a.candidates?.[0]?.finishReason)).toBe(false);
  });

  it('reset drops the connection before any header', async () => {
    const p = await start({ fault: 'reset' });
    await expect(generate(p)).rejects.toThrow();
    await waitForStats(p, (s) => s.log[0]?.outcome === 'reset');
  });

  it('a stream without alt=sse is refused (only SSE is simulated)', async () => {
    const p = await start();
    const res = await fetch(`${p.url}/v1beta/models/m:streamGenerateContent`, {
      method: 'POST',
      body: JSON.stringify(prompt),
    });
    expect(res.status).toBe(400);
  });
});
