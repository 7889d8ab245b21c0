import { describe, expect, it } from 'vitest';
import { REPLY, sentBody } from '../providers/anthropic-support.js';
import { GATEWAY_KEY, startFaces } from './endpoint-faces.js';
import { readSse } from './read-sse.js';

const headers = {
  'content-type': 'application/json',
  'x-api-key': GATEWAY_KEY,
  'anthropic-version': '2023-06-01',
};

/** A request using what only Anthropic's wire carries, but whose answer stays correct without it. */
const rich = {
  max_tokens: 2000,
  top_k: 5,
  thinking: { type: 'enabled', budget_tokens: 1024 },
  system: [{ type: 'text', text: 'Be brief.', cache_control: { type: 'ephemeral' } }],
  messages: [
    { role: 'user', content: 'Hi' },
    {
      role: 'assistant',
      content: [
        { type: 'thinking', thinking: 'A greeting.', signature: 'sig' },
        { type: 'text', text: 'Hello.' },
      ],
    },
    { role: 'user', content: [{ type: 'text', text: 'Again', cache_control: { type: 'ephemeral' } }] },
  ],
};

const document = {
  max_tokens: 100,
  messages: [
    {
      role: 'user',
      content: [
        { type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'a report' } },
        { type: 'text', text: 'Summarise it.' },
      ],
    },
  ],
};

async function setup() {
  return startFaces(
    { down: { fault: '503' }, gpt: {}, claude: {}, cut: { fault: 'stream-cut:2' } },
    {
      routes: {
        toOpenAI: ['down', 'gpt'],
        toClaude: ['down', 'claude'],
        gptFirst: ['gpt', 'claude'],
        cutThenClaude: ['cut', 'claude'],
        cutOnly: ['cut'],
      },
    },
  );
}

async function post(
  faces: Awaited<ReturnType<typeof setup>>,
  body: object,
  extra: Record<string, string> = {},
) {
  return fetch(`${faces.gateway.url}/v1/messages`, {
    method: 'POST',
    headers: { ...headers, ...extra },
    body: JSON.stringify(body),
  });
}

describe('POST /v1/messages: what each vendor can honour, per field', () => {
  it('to Claude, the caller body arrives intact (cache_control, thinking, top_k)', async () => {
    const faces = await setup();
    const response = await post(faces, { ...rich, model: 'toClaude' });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-switchboard-model')).toBe('claude');
    expect(response.headers.get('x-switchboard-dropped-fields')).toBeNull();
    expect(sentBody(faces.mocks.claude)).toEqual({ ...rich, model: 'claude-sonnet-4-5' });
  });

  it('to an OpenAI-wire fallback, they are dropped and the answer says which', async () => {
    const faces = await setup();
    const response = await post(faces, { ...rich, model: 'toOpenAI' });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { content: unknown }).content).toEqual([
      { type: 'text', text: REPLY },
    ]);
    expect(response.headers.get('x-switchboard-model')).toBe('gpt');
    expect(response.headers.get('x-switchboard-dropped-fields')).toBe('cache_control, thinking, top_k');
    expect(sentBody(faces.mocks.gpt)).toEqual({
      model: 'gpt',
      max_tokens: 2000,
      stream: false,
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: 'Hello.' },
        { role: 'user', content: [{ type: 'text', text: 'Again' }] },
      ],
    });
  });

  it('a document block skips the OpenAI-wire model with the reason recorded; Claude answers', async () => {
    const faces = await setup();
    const response = await post(faces, { ...document, model: 'gptFirst' }, { 'x-switchboard-debug': '1' });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { switchboard: { skipped: unknown[] } };
    expect(body.switchboard.skipped).toEqual([
      {
        model: 'gpt',
        reason: 'unsupported',
        detail: expect.stringContaining('messages[0].content[0] (document block)'),
      },
    ]);
    expect(faces.count('gpt')).toBe(0);
    expect(faces.count('claude')).toBe(1);
    expect((sentBody(faces.mocks.claude).messages as unknown[])[0]).toEqual(document.messages[0]);
  });

  it('a document block with no Anthropic model in the chain is a 400 naming it, no upstream call', async () => {
    const faces = await setup();
    const response = await post(faces, { ...document, model: 'toOpenAI' });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { type: string; error: { type: string; message: string } };
    expect(body.type).toBe('error');
    expect(body.error.type).toBe('invalid_request_error');
    expect(body.error.message).toContain('document block');
    expect(faces.count('gpt')).toBe(0);
  });
});

describe('POST /v1/messages streams that break', () => {
  it('recovered on Claude mid-stream: the continuation is the caller body plus the partial answer', async () => {
    const faces = await setup();
    const response = await post(faces, { ...rich, model: 'cutThenClaude', stream: true });
    const events = await readSse(response);
    const text = events
      .filter((e) => e.event === 'content_block_delta')
      .map((e) => (e.data as { delta: { text: string } }).delta.text)
      .join('');
    expect(text).toBe(REPLY);
    expect(events.at(-1)?.event).toBe('message_stop');
    expect(faces.count('claude')).toBe(1);
    const sent = sentBody(faces.mocks.claude);
    // The caller's own blocks are kept; the engine's continuation comes after them.
    expect(sent.thinking).toEqual(rich.thinking);
    expect((sent.messages as unknown[]).slice(0, 3)).toEqual(rich.messages);
    expect((sent.messages as Array<{ role: string }>).at(-1)?.role).toBe('assistant');
  });

  it('unrecoverable: an error event and no message_stop', async () => {
    const faces = await setup();
    const response = await post(faces, { ...rich, model: 'cutOnly', stream: true });
    expect(response.status).toBe(200);
    const events = await readSse(response);
    expect(events.map((e) => e.event)).not.toContain('message_stop');
    expect(events.at(-1)).toMatchObject({
      event: 'error',
      data: { type: 'error', error: { type: 'api_error' } },
    });
  });
});
