import { afterEach, describe, expect, it } from 'vitest';
import { readUntilError } from '../../../test/support/sse.js';
import { type MockProvider, startMockProvider } from '../index.js';
import type { MockProviderOptions } from '../types.js';

let mock: MockProvider | undefined;
afterEach(async () => {
  await mock?.close();
  mock = undefined;
});

const start = async (options: MockProviderOptions = {}) => {
  mock = await startMockProvider({ protocol: 'anthropic', reply: 'one two three four', ...options });
  return mock;
};

const post = (m: MockProvider, body: Record<string, unknown>, headers: Record<string, string> = {}) =>
  fetch(`${m.baseUrl}/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01', ...headers },
    body: JSON.stringify({
      model: 'claude-x',
      max_tokens: 50,
      messages: [{ role: 'user', content: 'hi' }],
      ...body,
    }),
  });

/** `event:` names and parsed data of an Anthropic SSE text. */
function events(text: string): Array<{ event: string; data: Record<string, unknown> | string }> {
  return text
    .split('\n\n')
    .filter((e) => e.trim() !== '')
    .map((e) => {
      const event = /^event: (.*)$/m.exec(e)?.[1] ?? '';
      const raw = /^data: (.*)$/m.exec(e)?.[1] ?? '';
      try {
        return { event, data: JSON.parse(raw) as Record<string, unknown> };
      } catch {
        return { event, data: raw };
      }
    });
}
const texts = (list: ReturnType<typeof events>) =>
  list.flatMap((e) =>
    typeof e.data === 'object' && e.event === 'content_block_delta'
      ? [(e.data.delta as { text: string }).text]
      : [],
  );

describe('simulated Claude: the wire', () => {
  it('streams the vendor event sequence with the event name repeated as the data type', async () => {
    const m = await start();
    const res = await post(m, { stream: true });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    expect(res.headers.get('request-id')).toMatch(/^req_/);
    const list = events(await res.text());
    expect(list.map((e) => e.event)).toEqual([
      'message_start',
      'content_block_start',
      'ping',
      ...Array(4).fill('content_block_delta'),
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    expect(list.every((e) => typeof e.data === 'object' && e.data.type === e.event)).toBe(true);
    expect(texts(list).join('')).toBe('one two three four');
  });

  it('a 429 carries retry-after and the RFC 3339 request-limit reset', async () => {
    const m = await start({ fault: '429:30' });
    const res = await post(m, {});
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('30');
    expect(res.headers.get('anthropic-ratelimit-requests-remaining')).toBe('0');
    const resetMs = Date.parse(res.headers.get('anthropic-ratelimit-requests-reset') ?? '');
    expect(resetMs - Date.now()).toBeGreaterThan(20_000);
    expect(await res.json()).toMatchObject({ type: 'error', error: { type: 'rate_limit_error' } });
  });

  it('429ms:MS sends only the reset (no millisecond header exists on this wire)', async () => {
    const m = await start({ fault: '429ms:1500' });
    const res = await post(m, {});
    expect(res.headers.get('retry-after')).toBeNull();
    expect(res.headers.get('anthropic-ratelimit-requests-reset')).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it.each([
    ['stream-cut:2', ['one ', 'two '], true, false],
    ['malformed:2', ['one ', 'three ', 'four'], false, true],
    ['no-done', ['one ', 'two ', 'three ', 'four'], false, false],
    ['overloaded-mid-stream:3', ['one ', 'two ', 'three '], false, false],
  ])('stream fault %s', async (fault, expected, cut, malformed) => {
    const m = await start({ fault });
    const res = await post(m, { stream: true });
    const { text, error } = await readUntilError(res);
    const list = events(text);
    expect(texts(list)).toEqual(expected);
    expect(error !== undefined).toBe(cut);
    expect(list.some((e) => e.data === '{not json')).toBe(malformed);
    const last = list.at(-1);
    if (fault === 'no-done') expect(last?.event).toBe('message_delta');
    if (fault.startsWith('overloaded')) {
      expect(last).toEqual({
        event: 'error',
        data: { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } },
      });
    }
  });

  it('content-filter is a refusal; empty-choices an empty content', async () => {
    const m = await start({ fault: 'content-filter' });
    expect(await (await post(m, {})).json()).toMatchObject({ stop_reason: 'refusal', content: [] });
    m.setFault('empty-choices');
    expect(await (await post(m, {})).json()).toMatchObject({ stop_reason: 'end_turn', content: [] });
  });

  it('continues a prefill, and refuses one that ends in whitespace, as Claude does', async () => {
    const m = await start();
    const prefill = (text: string) =>
      post(m, {
        messages: [
          { role: 'user', content: 'count' },
          { role: 'assistant', content: text },
        ],
      });
    expect(await (await prefill('one two')).json()).toMatchObject({
      content: [{ type: 'text', text: ' three four' }],
    });
    const bad = await prefill('one two ');
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({
      error: {
        type: 'invalid_request_error',
        message: 'messages: final assistant content cannot end with trailing whitespace',
      },
    });
  });

  it.each([
    [{ n: 2 }, {}, 'n: Extra inputs are not permitted'],
    [{ max_tokens: undefined }, {}, 'max_tokens: Field required'],
    [
      { messages: [{ role: 'system', content: 'x' }] },
      {},
      "messages.0.role: Input should be 'user' or 'assistant'",
    ],
    [
      { messages: [{ role: 'user', content: [{ type: 'text', text: '' }] }] },
      {},
      'text content blocks must be non-empty',
    ],
    [
      {
        messages: [
          { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_x', content: 'r' }] },
        ],
      },
      {},
      'unexpected `tool_use_id`',
    ],
    [{}, { omitVersion: true }, 'anthropic-version: header is required'],
  ])('refuses %j with a 400 naming the problem', async (body, how: { omitVersion?: boolean }, message) => {
    const m = await start();
    const res = await fetch(`${m.baseUrl}/v1/messages`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(how.omitVersion ? {} : { 'anthropic-version': '2023-06-01' }),
      },
      body: JSON.stringify({
        model: 'claude-x',
        max_tokens: 50,
        messages: [{ role: 'user', content: 'hi' }],
        ...body,
      }),
    });
    expect(res.status).toBe(400);
    const json = (await res.json()) as { error: { message: string } };
    expect(json.error.message).toContain(message);
  });

  it('keeps the control routes: /__fault, /__stats, /__reset', async () => {
    const m = await start();
    await fetch(`${m.url}/__fault`, { method: 'POST', body: JSON.stringify({ fault: '529' }) });
    const res = await post(m, {});
    expect(res.status).toBe(529);
    expect(await res.json()).toMatchObject({ error: { type: 'overloaded_error' } });
    const stats = (await (await fetch(`${m.url}/__stats`)).json()) as {
      requests: number;
      fault: string;
      byStatus: Record<string, number>;
    };
    expect(stats).toMatchObject({ requests: 1, fault: '529', byStatus: { 529: 1 } });
    await fetch(`${m.url}/__reset`, { method: 'POST' });
    expect(m.stats().requests).toBe(0);
    const unknown = await fetch(`${m.url}/v1/complete`, { method: 'POST' });
    expect(await unknown.json()).toMatchObject({ type: 'error', error: { type: 'not_found_error' } });
  });
});
