import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Anthropic from '@anthropic-ai/sdk';
import { describe, expect, it } from 'vitest';
import { startGateway } from '../../src/gateway.js';
import type { MockProvider } from '../../src/mock/index.js';
import { configFor, onCleanup } from '../support/engine.js';

const THINKING = { type: 'thinking', thinking: 'The user greets me.', signature: 'sig-abc' };

/** Claude's stream for an answer that thinks first (events as Anthropic documents them). */
const EVENTS: Array<[string, unknown]> = [
  [
    'message_start',
    {
      type: 'message_start',
      message: {
        id: 'msg_think',
        type: 'message',
        role: 'assistant',
        model: 'claude-x',
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { input_tokens: 12, output_tokens: 1 },
      },
    },
  ],
  [
    'content_block_start',
    {
      type: 'content_block_start',
      index: 0,
      content_block: { type: 'thinking', thinking: '', signature: '' },
    },
  ],
  [
    'content_block_delta',
    { type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'The user ' } },
  ],
  [
    'content_block_delta',
    { type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'greets me.' } },
  ],
  [
    'content_block_delta',
    { type: 'content_block_delta', index: 0, delta: { type: 'signature_delta', signature: 'sig-abc' } },
  ],
  ['content_block_stop', { type: 'content_block_stop', index: 0 }],
  [
    'content_block_start',
    { type: 'content_block_start', index: 1, content_block: { type: 'text', text: '' } },
  ],
  [
    'content_block_delta',
    { type: 'content_block_delta', index: 1, delta: { type: 'text_delta', text: 'Hello!' } },
  ],
  ['content_block_stop', { type: 'content_block_stop', index: 1 }],
  [
    'message_delta',
    {
      type: 'message_delta',
      delta: { stop_reason: 'end_turn', stop_sequence: null },
      usage: { output_tokens: 9 },
    },
  ],
  ['message_stop', { type: 'message_stop' }],
];

/** A Claude that thinks: JSON or SSE by the request's `stream`; records each body it received. */
async function thinkingClaude() {
  const bodies: Array<Record<string, unknown>> = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let text = '';
    req.on('data', (c) => {
      text += c;
    });
    req.on('end', () => {
      const body = JSON.parse(text) as Record<string, unknown>;
      bodies.push(body);
      if (body.stream !== true) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            id: 'msg_think',
            type: 'message',
            role: 'assistant',
            model: 'claude-x',
            content: [THINKING, { type: 'text', text: 'Hello!' }],
            stop_reason: 'end_turn',
            stop_sequence: null,
            usage: { input_tokens: 12, output_tokens: 9 },
          }),
        );
        return;
      }
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end(EVENTS.map(([event, data]) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`).join(''));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onCleanup(() => new Promise((resolve) => server.close(resolve)));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, bodies };
}

async function setup() {
  const claude = await thinkingClaude();
  const config = configFor(
    { claude: { baseUrl: claude.url } as MockProvider },
    { server: { api_keys: ['k'] } },
  ) as {
    providers: Record<string, Record<string, unknown>>;
    models: Record<string, Record<string, unknown>>;
  };
  Object.assign(config.providers['p-claude'] as object, { type: 'anthropic', api_key: 'sk-ant' });
  Object.assign(config.models.claude as object, { model: 'claude-x' });
  const gateway = await startGateway(config, { logger: false, port: 0 });
  onCleanup(() => gateway.close(1_000));
  return { claude, anthropic: new Anthropic({ baseURL: gateway.url, apiKey: 'k', maxRetries: 0 }) };
}

const params = {
  model: 'main',
  max_tokens: 2000,
  thinking: { type: 'enabled' as const, budget_tokens: 1024 },
  messages: [{ role: 'user' as const, content: 'Hi' }],
};

describe('POST /v1/messages: Claude thinking reaches the Anthropic SDK as Claude sent it', () => {
  it('messages.create: thinking block and signature kept', async () => {
    const { anthropic, claude } = await setup();
    const message = await anthropic.messages.create(params);
    expect(message.content).toEqual([THINKING, { type: 'text', text: 'Hello!' }]);
    expect(claude.bodies[0]?.thinking).toEqual(params.thinking);
  });

  it('messages.stream: thinking and signature deltas, then the text; the next turn sends them back', async () => {
    const { anthropic, claude } = await setup();
    const stream = anthropic.messages.stream(params);
    const thoughts: string[] = [];
    stream.on('thinking', (delta) => thoughts.push(delta));
    const final = await stream.finalMessage();
    expect(thoughts.join('')).toBe('The user greets me.');
    expect(final.content).toEqual([THINKING, { type: 'text', text: 'Hello!' }]);
    expect(final.usage).toMatchObject({ input_tokens: 12, output_tokens: 9 });

    await anthropic.messages.create({
      ...params,
      messages: [
        ...params.messages,
        { role: 'assistant', content: final.content },
        { role: 'user', content: 'And?' },
      ],
    });
    expect((claude.bodies[1]?.messages as Array<{ content: unknown }> | undefined)?.[1]?.content).toEqual([
      THINKING,
      { type: 'text', text: 'Hello!' },
    ]);
  });
});
