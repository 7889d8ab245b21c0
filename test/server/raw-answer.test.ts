import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { startGateway } from '../../src/gateway.js';
import { onCleanup } from '../support/engine.js';

/**
 * An unchanged upstream answer is passed on as the upstream's own bytes (not parsed and serialised
 * again); one the gateway had to change, or the debug view, is serialised. The upstream here is a
 * plain HTTP server on 127.0.0.1 whose JSON is spaced and ordered as no JSON.stringify would write it.
 */
async function upstreamAnswering(text: string, contentType = 'application/json') {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': contentType });
      res.end(text);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  onCleanup(() => new Promise((resolve) => server.close(resolve)));
  const gateway = await startGateway(
    {
      providers: { up: { base_url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1` } },
      models: { m: { provider: 'up', model: 'up-model' } },
      routes: { r: ['m'] },
      default_route: 'r',
      ledger: 'off',
    },
    { logger: false, port: 0 },
  );
  onCleanup(() => gateway.close(1_000));
  return gateway;
}

const ask = (url: string, headers: Record<string, string> = {}) =>
  fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ model: 'r', messages: [{ role: 'user', content: 'hi' }] }),
  });

const SPACED =
  '{ "choices": [ { "index": 0, "message": { "role": "assistant", "content": "héllo" }, "finish_reason": "stop" } ],\n' +
  '  "model": "up-model", "id": "c-1", "object": "chat.completion", "created": 1,\n' +
  '  "usage": { "prompt_tokens": 3, "completion_tokens": 2, "total_tokens": 5 } }';

describe('a JSON answer passed on as it came', () => {
  it('sends the upstream bytes of an unchanged completion, which the official client reads', async () => {
    const gateway = await upstreamAnswering(SPACED);
    const response = await ask(gateway.url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-length')).toBe(String(Buffer.byteLength(SPACED)));
    expect(await response.text()).toBe(SPACED);
    const client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'none', maxRetries: 0 });
    const completion = await client.chat.completions.create({
      model: 'r',
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(completion.choices[0]?.message.content).toBe('héllo');
    expect(completion.usage?.total_tokens).toBe(5);
  });

  it('serialises what it changed: a missing model filled in, and the debug view', async () => {
    const withoutModel = SPACED.replace('"model": "up-model", ', '');
    const gateway = await upstreamAnswering(withoutModel);
    const filled = (await (await ask(gateway.url)).json()) as { model: string };
    expect(filled.model).toBe('up-model');
    const debug = (await (await ask(gateway.url, { 'x-switchboard-debug': '1' })).json()) as {
      switchboard?: { attempts: unknown[] };
    };
    expect(debug.switchboard?.attempts).toHaveLength(1);
  });
});

/** A streamed answer in one write, its JSON spaced as no JSON.stringify would write it. */
const sse = (frames: string[], end = '\n\n') => frames.map((f) => `data: ${f}${end}`).join('');
const STREAM_FRAMES = [
  '{"id":"c-2","object":"chat.completion.chunk","created":1,"model":"up-model","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}',
  '{"id":"c-2","object":"chat.completion.chunk","created":1,"model":"up-model","choices":[{"index":0,"delta":{"content":"hé"},"finish_reason":null}]}',
  '{"id":"c-2","object":"chat.completion.chunk","created":1,"model":"up-model","choices":[{"index":0,"delta":{"content":"llo"},"finish_reason":null}]}',
  '{ "id": "c-2", "object": "chat.completion.chunk", "created": 1, "model": "up-model", "choices": [ { "index": 0, "delta": {}, "finish_reason": "stop" } ] }',
  '{ "id": "c-2", "object": "chat.completion.chunk", "created": 1, "model": "up-model", "choices": [], "usage": { "prompt_tokens": 3, "completion_tokens": 2, "total_tokens": 5 } }',
  '[DONE]',
];

const STREAM_REQUEST = {
  model: 'r',
  messages: [{ role: 'user' as const, content: 'hi' }],
  stream: true as const,
  stream_options: { include_usage: true },
};
const streamInit = (): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(STREAM_REQUEST),
});
const askStream = (url: string) => fetch(`${url}/v1/chat/completions`, streamInit());

describe('a streamed answer passed on as it came', () => {
  it('writes the upstream bytes of unchanged frames, which the official client reads', async () => {
    const body = sse(STREAM_FRAMES);
    const gateway = await upstreamAnswering(body, 'text/event-stream');
    expect(await (await askStream(gateway.url)).text()).toBe(body);
    const client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'none', maxRetries: 0 });
    const stream = await client.chat.completions.create(STREAM_REQUEST);
    let text = '';
    let total: number | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      total = chunk.usage?.total_tokens ?? total;
    }
    expect(text).toBe('héllo');
    expect(total).toBe(5);
  });

  it('writes frames that did not come as `data: <json>\\n\\n` as text: the same events', async () => {
    const gateway = await upstreamAnswering(sse(STREAM_FRAMES, '\r\n\r\n'), 'text/event-stream');
    expect(await (await askStream(gateway.url)).text()).toBe(sse(STREAM_FRAMES));
  });

  it('gives the in-process face the same bytes', async () => {
    const body = sse(STREAM_FRAMES);
    const gateway = await upstreamAnswering(body, 'text/event-stream');
    const response = await gateway.switchboard.fetch(`${gateway.url}/v1/chat/completions`, streamInit());
    expect(await response.text()).toBe(body);
  });
});
