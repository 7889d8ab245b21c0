import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { ChatRequestBody } from '../types.js';
import { anthropicAnswer, anthropicNative, nativeRequest, withAnthropicNative } from './native-body.js';
import { AnthropicProvider } from './provider.js';

const callerBody = {
  model: 'route',
  max_tokens: 100,
  thinking: { type: 'enabled', budget_tokens: 50 },
  system: [{ type: 'text', text: 'Be brief.', cache_control: { type: 'ephemeral' } }],
  messages: [{ role: 'user', content: 'Hi' }],
};

function engineBody(): ChatRequestBody {
  const messages = [
    { role: 'system', content: 'Be brief.' },
    { role: 'user', content: 'Hi' },
  ];
  return withAnthropicNative({ model: 'route', messages }, { body: callerBody, messages, beta: 'b-1' });
}

describe('nativeRequest: the caller body for Anthropic upstreams', () => {
  it('is the caller body with the upstream model and this call’s stream flag', () => {
    expect(nativeRequest(engineBody(), 'claude-x', true)).toEqual({
      body: { ...callerBody, model: 'claude-x', stream: true },
      prefillTrimmed: '',
    });
    expect(nativeRequest(engineBody(), 'claude-x', false)?.body).not.toHaveProperty('stream');
  });

  it('is invisible to JSON and Object.entries, and survives a spread', () => {
    const body = engineBody();
    expect(JSON.stringify(body)).not.toContain('thinking');
    expect(Object.keys(body)).toEqual(['model', 'messages']);
    expect(anthropicNative({ ...body })?.beta).toBe('b-1');
  });

  it('appends what the engine added (a continuation), translated, keeping the caller turns', () => {
    const body = engineBody();
    const continued = {
      ...body,
      messages: [
        ...body.messages,
        { role: 'system', content: 'Continue.' },
        { role: 'assistant', content: 'one two ' },
      ],
    };
    expect(nativeRequest(continued, 'claude-x', true)).toEqual({
      body: {
        ...callerBody,
        model: 'claude-x',
        stream: true,
        system: [...callerBody.system, { type: 'text', text: 'Continue.' }],
        messages: [
          { role: 'user', content: 'Hi' },
          { role: 'assistant', content: [{ type: 'text', text: 'one two' }] },
        ],
      },
      prefillTrimmed: ' ',
    });
  });

  it('is not used when the engine rewrote the conversation, or for a plain chat request', () => {
    const body = engineBody();
    expect(
      nativeRequest({ ...body, messages: [{ role: 'user', content: 'other' }] }, 'c', false),
    ).toBeUndefined();
    expect(nativeRequest({ messages: [] }, 'c', false)).toBeUndefined();
  });
});

describe('AnthropicProvider with a pass-through', () => {
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await close?.();
    close = undefined;
  });

  it('sends the caller body and its anthropic-beta header, and skips nothing', async () => {
    const seen: Array<{ headers: Record<string, unknown>; body: unknown }> = [];
    const server = createServer((req, res) => {
      let text = '';
      req.on('data', (c) => {
        text += c;
      });
      req.on('end', () => {
        seen.push({ headers: req.headers, body: JSON.parse(text) });
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            id: 'msg_1',
            type: 'message',
            role: 'assistant',
            model: 'claude-x',
            content: [
              { type: 'thinking', thinking: 'Hmm.', signature: 'sig-1' },
              { type: 'text', text: 'ok' },
            ],
            stop_reason: 'end_turn',
            usage: { input_tokens: 1, output_tokens: 1 },
          }),
        );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const provider = new AnthropicProvider({
      id: 'p',
      baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      apiKey: 'k',
    });
    close = async () => {
      await provider.close();
      await new Promise((resolve) => server.close(resolve));
    };
    const body = engineBody();
    expect(provider.unsupported({ body, upstreamModel: 'claude-x' })).toBeUndefined();
    const completion = await provider.complete({
      body,
      upstreamModel: 'claude-x',
      signal: new AbortController().signal,
    });
    expect(completion.choices[0]?.message).toEqual({ role: 'assistant', content: 'ok' });
    expect(seen[0]?.headers['anthropic-beta']).toBe('b-1');
    // Claude's own answer rides along, thinking and its signature included (invisible to JSON).
    expect(anthropicAnswer(completion)?.content).toEqual([
      { type: 'thinking', thinking: 'Hmm.', signature: 'sig-1' },
      { type: 'text', text: 'ok' },
    ]);
    expect(JSON.stringify(completion)).not.toContain('sig-1');
    expect(seen[0]?.body).toEqual({ ...callerBody, model: 'claude-x' });
  });
});
