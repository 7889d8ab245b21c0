import { describe, expect, it } from 'vitest';
import { parseSseEvents, type SseEvent } from './parse-sse-events.js';

async function collect(pieces: string[]): Promise<SseEvent[]> {
  async function* source() {
    for (const p of pieces) yield new TextEncoder().encode(p);
  }
  const out: SseEvent[] = [];
  for await (const batch of parseSseEvents(source())) out.push(...batch);
  return out;
}

describe('parseSseEvents', () => {
  it('reads event names and data, across split reads and CRLF', async () => {
    expect(
      await collect(['event: ping\r\ndata: {"type"', ':"ping"}\r\n\r\nevent: message_stop\ndata: {}\n\n']),
    ).toEqual([
      { event: 'ping', data: '{"type":"ping"}' },
      { event: 'message_stop', data: '{}' },
    ]);
  });

  it('ignores comments and events without data, joins multi-line data', async () => {
    expect(await collect([': hi\n\nevent: x\n\ndata: a\ndata: b\n\n'])).toEqual([{ data: 'a\nb' }]);
  });

  it('yields a last event left without its blank line', async () => {
    expect(await collect(['event: message_stop\ndata: {}'])).toEqual([{ event: 'message_stop', data: '{}' }]);
  });

  it('propagates a broken source', async () => {
    async function* source() {
      yield new TextEncoder().encode('data: {}\n\n');
      throw new Error('other side closed');
    }
    const seen: SseEvent[] = [];
    await expect(
      (async () => {
        for await (const batch of parseSseEvents(source())) seen.push(...batch);
      })(),
    ).rejects.toThrow('other side closed');
    expect(seen).toHaveLength(1);
  });
});
