import { describe, expect, it } from 'vitest';
import { fixtureText } from '../../../test/fixtures/read-fixture.js';
import type { StreamEvent } from '../types.js';
import { UpstreamError } from '../upstream-error.js';
import { StreamConverter } from './convert-stream.js';
import { geminiEvents } from './stream-events.js';

const context = { model: 'asked-model', createdS: 1_700_000_000, fallbackId: 'gen-fallback' };
const notAborted = { aborted: false, reason: undefined, addEventListener() {}, removeEventListener() {} };

/** Replays a raw SSE fixture, split into small reads, through the adapter's stream path. */
async function replay(
  name: string,
  cutAfterBytes?: number,
): Promise<{ events: StreamEvent[]; error?: unknown }> {
  const bytes = new TextEncoder().encode(fixtureText(`gemini/${name}`));
  async function* source() {
    for (let i = 0; i < bytes.length; i += 7) {
      if (cutAfterBytes !== undefined && i >= cutAfterBytes) {
        throw Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' });
      }
      yield bytes.slice(i, i + 7);
    }
  }
  const events: StreamEvent[] = [];
  try {
    for await (const batch of geminiEvents(source(), new StreamConverter(context), notAborted))
      events.push(...batch);
  } catch (error) {
    return { events, error };
  }
  return { events };
}

const chunks = (events: StreamEvent[]) => events.flatMap((e) => (e.type === 'chunk' ? [e.chunk] : []));

describe('Gemini stream conversion (fixtures)', () => {
  it('text.chunks.txt: role on the first delta, text deltas, stop, a closing usage chunk, done', async () => {
    const { events, error } = await replay('text.chunks.txt');
    expect(error).toBeUndefined();
    const out = chunks(events);
    expect(out.map((c) => c.choices[0]?.delta)).toEqual([
      { role: 'assistant', content: 'The' },
      { content: ' sky is blue because of' },
      { content: ' Rayleigh scattering.\n' },
      undefined,
    ]);
    expect(out.map((c) => c.choices[0]?.finish_reason ?? null)).toEqual([null, null, 'stop', null]);
    expect(out[3]).toMatchObject({
      id: 'st01',
      object: 'chat.completion.chunk',
      model: 'gemini-2.0-flash',
      choices: [],
      usage: { prompt_tokens: 6, completion_tokens: 10, total_tokens: 16 },
    });
    expect(events.at(-1)).toEqual({ type: 'done' });
  });

  it('function-calls.chunks.txt: each whole call is one tool_calls delta with full arguments; tool_calls finish', async () => {
    const out = chunks((await replay('function-calls.chunks.txt')).events);
    expect(out[0]?.choices[0]?.delta).toEqual({
      role: 'assistant',
      tool_calls: [
        {
          index: 0,
          id: 'call_sf02_0',
          type: 'function',
          function: { name: 'get_weather', arguments: '{"location":"Paris","unit":"celsius"}' },
        },
      ],
    });
    expect(out[1]?.choices[0]).toEqual({
      index: 0,
      delta: {
        tool_calls: [
          {
            index: 1,
            id: 'call_sf02_1',
            type: 'function',
            function: { name: 'get_time', arguments: '{"city":"Paris"}' },
          },
        ],
      },
      finish_reason: 'tool_calls',
    });
    expect(out[2]?.usage).toEqual({
      prompt_tokens: 40,
      completion_tokens: 55,
      total_tokens: 95,
      completion_tokens_details: { reasoning_tokens: 37 },
    });
  });

  it('error-mid-stream.chunks.txt: content, then the error payload throws its class (transient, 503)', async () => {
    const { events, error } = await replay('error-mid-stream.chunks.txt');
    expect(chunks(events)[0]?.choices[0]?.delta?.content).toBe('Here is the first part');
    expect(error).toBeInstanceOf(UpstreamError);
    expect(error).toMatchObject({ kind: 'transient', status: 503, providerCode: 'UNAVAILABLE' });
  });

  it('prompt-blocked.chunks.txt: a blocked prompt throws content_policy before any chunk', async () => {
    const { events, error } = await replay('prompt-blocked.chunks.txt');
    expect(events).toEqual([]);
    expect(error).toMatchObject({ kind: 'content_policy', code: 'prompt_blocked', providerCode: 'SAFETY' });
  });

  it('recitation.chunks.txt: a policy finish after content ends the answer with content_filter', async () => {
    const out = chunks((await replay('recitation.chunks.txt')).events);
    expect(out.map((c) => c.choices[0]?.finish_reason ?? null)).toEqual([null, 'content_filter', null]);
  });

  it('no-finish.chunks.txt: a clean end without a finish reason yields no done (the engine calls it broken)', async () => {
    const { events, error } = await replay('no-finish.chunks.txt');
    expect(error).toBeUndefined();
    expect(events.some((e) => e.type === 'done')).toBe(false);
  });

  it('a body cut mid-event is a transient stream_broken', async () => {
    const { events, error } = await replay('text.chunks.txt', 300);
    expect(chunks(events).length).toBeGreaterThan(0);
    expect(error).toMatchObject({ kind: 'transient', code: 'stream_broken' });
  });

  it('a payload that is not JSON is a malformed event, not a chunk', async () => {
    async function* source() {
      yield 'data: {not json\r\n\r\n';
    }
    const events: StreamEvent[] = [];
    for await (const batch of geminiEvents(source(), new StreamConverter(context), notAborted))
      events.push(...batch);
    expect(events).toEqual([{ type: 'malformed', data: '{not json' }]);
  });
});
