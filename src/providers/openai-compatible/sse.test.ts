import { describe, expect, it } from 'vitest';
import type { StreamEvent } from '../types.js';
import { parseSse } from './sse.js';

async function collectWithFrames(pieces: string[]): Promise<StreamEvent[]> {
  async function* source() {
    for (const p of pieces) yield new TextEncoder().encode(p);
  }
  const out: StreamEvent[] = [];
  for await (const batch of parseSse(source())) out.push(...batch);
  return out;
}

/** The events as chunk, raw text and the rest (where their frames lie is asserted on its own below). */
async function collect(pieces: string[]): Promise<StreamEvent[]> {
  return (await collectWithFrames(pieces)).map((event) => {
    if (event.type !== 'chunk') return event;
    return event.raw === undefined
      ? { type: 'chunk', chunk: event.chunk }
      : { type: 'chunk', chunk: event.chunk, raw: event.raw };
  });
}

/** What each chunk's frame bytes say, or undefined for a chunk without them. */
async function frameTexts(pieces: string[]): Promise<(string | undefined)[]> {
  return (await collectWithFrames(pieces)).map((event) =>
    event.type === 'chunk' && event.frameBytes
      ? event.frameBytes.toString('utf8', event.frameFrom, event.frameTo)
      : undefined,
  );
}

describe('parseSse', () => {
  it('parses chunks and stops at [DONE]', async () => {
    const events = await collect(['data: {"choices":[]}\n\n', 'data: [DONE]\n\n', 'data: {"after":1}\n\n']);
    expect(events).toEqual([
      { type: 'chunk', chunk: { choices: [] }, raw: '{"choices":[]}' },
      { type: 'done' },
    ]);
  });

  it('reassembles events split across reads, CRLF, and multi-byte characters', async () => {
    const text = 'data: {"choices":[{"delta":{"content":"héllo"}}]}\r\n\r\n';
    const bytes = new TextEncoder().encode(text);
    async function* source() {
      for (const b of bytes) yield new Uint8Array([b]);
    }
    const out: StreamEvent[] = [];
    for await (const batch of parseSse(source())) out.push(...batch);
    expect(out).toEqual([
      {
        type: 'chunk',
        chunk: { choices: [{ delta: { content: 'héllo' } }] },
        raw: '{"choices":[{"delta":{"content":"héllo"}}]}',
      },
    ]);
  });

  it('yields one batch per read: the events each read completed, in order', async () => {
    async function* source() {
      yield 'data: {"choices":[],"n":1}\n\ndata: {"choices":[],"n":2}\n\ndata: {"cho';
      yield 'ices":[],"n":3}\n\n';
      yield ': nothing completed here\n';
      yield 'data: [DONE]\n\n';
    }
    const batches: number[][] = [];
    for await (const batch of parseSse(source()))
      batches.push(batch.map((e) => (e.type === 'chunk' ? (e.chunk.n as number) : 0)));
    expect(batches).toEqual([[1, 2], [3], [0]]);
  });

  it('ignores comments and other fields, joins multi-line data', async () => {
    const events = await collect([': keep-alive\n', 'event: x\nid: 1\ndata: {"choices":\ndata: []}\n\n']);
    expect(events).toEqual([{ type: 'chunk', chunk: { choices: [] }, raw: '{"choices":\n[]}' }]);
  });

  it.each([
    ['invalid JSON', 'data: {not json\n\n'],
    ['a JSON array', 'data: [1,2]\n\n'],
    ['a JSON string', 'data: "x"\n\n'],
  ])('reports %s as malformed', async (_name, text) => {
    const events = await collect([text]);
    expect(events[0]?.type).toBe('malformed');
  });

  it('yields a final event left without a blank line', async () => {
    expect(await collect(['data: {"choices":[]}'])).toEqual([
      { type: 'chunk', chunk: { choices: [] }, raw: '{"choices":[]}' },
    ]);
  });

  it('fills in a missing choices array', async () => {
    expect(await collect(['data: {"usage":{"prompt_tokens":1}}\n\n'])).toEqual([
      { type: 'chunk', chunk: { usage: { prompt_tokens: 1 }, choices: [] } },
    ]);
  });

  it('points each plain frame at the bytes it came in, one after another within a read', async () => {
    const text = 'data: {"choices":[],"n":1}\n\ndata: {"choices":[{"delta":{"content":"hé"}}]}\n\n';
    const events = await collectWithFrames([text]);
    const [first, second] = events;
    if (first?.type !== 'chunk' || second?.type !== 'chunk') throw new Error('two chunks expected');
    expect(first.frameBytes).toBe(second.frameBytes);
    expect(first.frameFrom).toBe(0);
    expect(second.frameFrom).toBe(first.frameTo);
    expect(second.frameTo).toBe(Buffer.byteLength(text));
    expect(await frameTexts([text])).toEqual([
      'data: {"choices":[],"n":1}\n\n',
      'data: {"choices":[{"delta":{"content":"hé"}}]}\n\n',
    ]);
  });

  it.each([
    ['CRLF line ends', 'data: {"choices":[]}\r\n\r\n'],
    ['no space after the colon', 'data:{"choices":[]}\n\n'],
    ['a comment in the event', ': note\ndata: {"choices":[]}\n\n'],
    ['another field in the event', 'data: {"choices":[]}\nid: 7\n\n'],
    ['data on two lines', 'data: {"choices":\ndata: []}\n\n'],
  ])('gives no frame bytes for %s (they would not be `data: <raw>\\n\\n`)', async (_name, text) => {
    expect(await frameTexts([text])).toEqual([undefined]);
  });

  it('gives no frame bytes to an event split across reads', async () => {
    expect(await frameTexts(['data: {"choices":[]}\n', '\ndata: {"choices":[],"n":2}\n\n'])).toEqual([
      undefined,
      'data: {"choices":[],"n":2}\n\n',
    ]);
    expect(await frameTexts(['data: {"choi', 'ces":[]}\n\n'])).toEqual([undefined]);
  });

  it('propagates a broken source', async () => {
    async function* source() {
      yield new TextEncoder().encode('data: {"choices":[]}\n\n');
      throw Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' });
    }
    const seen: StreamEvent[] = [];
    await expect(
      (async () => {
        for await (const batch of parseSse(source())) seen.push(...batch);
      })(),
    ).rejects.toThrow('other side closed');
    expect(seen).toHaveLength(1);
  });
});
