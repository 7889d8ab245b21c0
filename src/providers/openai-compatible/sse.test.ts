import { describe, expect, it } from 'vitest';
import type { StreamEvent } from '../types.js';
import { parseSse } from './sse.js';

async function collect(pieces: string[]): Promise<StreamEvent[]> {
  async function* source() {
    for (const p of pieces) yield new TextEncoder().encode(p);
  }
  const out: StreamEvent[] = [];
  for await (const batch of parseSse(source())) out.push(...batch);
  return out;
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
