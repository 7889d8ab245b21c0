import { describe, expect, it } from 'vitest';
import { parseSse } from '../../providers/openai-compatible/sse.js';
import type { ChunkEvent } from '../../providers/types.js';
import { freshMetadata, type StreamResult } from '../../routing/index.js';
import { sseFrames } from './sse-frames.js';

/** A committed stream whose batches are what `parseSse` made of `reads`, less the end marker. */
async function resultOf(reads: string[], change?: (event: ChunkEvent) => ChunkEvent): Promise<StreamResult> {
  async function* source() {
    for (const read of reads) yield Buffer.from(read);
  }
  const batches: ChunkEvent[][] = [];
  for await (const batch of parseSse(source())) {
    const chunks = batch.filter((e): e is ChunkEvent => e.type === 'chunk');
    if (chunks.length > 0) batches.push(change ? chunks.map(change) : chunks);
  }
  return {
    metadata: freshMetadata('req-1', ['m'], 'r'),
    batches: async function* () {
      yield* batches;
    },
    cancel() {},
    shutdown() {},
    [Symbol.asyncIterator]: () => {
      throw new Error('not used');
    },
  };
}

async function framesOf(result: StreamResult): Promise<(string | Buffer)[]> {
  const out: (string | Buffer)[] = [];
  for await (const frame of sseFrames(result, false)) out.push(frame);
  return out;
}

const A = '{"choices":[{"index":0,"delta":{"content":"a"},"finish_reason":null}]}';
const B = '{ "choices": [ { "index": 0, "delta": {}, "finish_reason": "stop" } ] }';

describe('sseFrames', () => {
  it("writes a batch of unchanged frames as the upstream's bytes, not a copy", async () => {
    const read = `data: ${A}\n\ndata: ${B}\n\ndata: [DONE]\n\n`;
    const frames = await framesOf(await resultOf([read]));
    const [bytes, done] = frames;
    expect(Buffer.isBuffer(bytes)).toBe(true);
    expect(String(bytes)).toBe(`data: ${A}\n\ndata: ${B}\n\n`);
    expect(done).toBe('data: [DONE]\n\n');
  });

  it('writes text when a chunk of the batch was changed or its frame came otherwise', async () => {
    const changed = await framesOf(
      await resultOf([`data: ${A}\n\ndata: ${B}\n\n`], (e) =>
        e.raw === B ? { type: 'chunk', chunk: e.chunk } : e,
      ),
    );
    expect(changed[0]).toBe(`data: ${A}\n\ndata: ${JSON.stringify(JSON.parse(B))}\n\n`);
    const crlf = await framesOf(await resultOf([`data: ${A}\r\n\r\ndata: ${B}\r\n\r\n`]));
    expect(crlf[0]).toBe(`data: ${A}\n\ndata: ${B}\n\n`);
  });

  it('writes text for chunks of two reads taken together', async () => {
    const result = await resultOf([`data: ${A}\n\n`, `data: ${B}\n\n`]);
    const joined: ChunkEvent[] = [];
    for await (const batch of result.batches()) joined.push(...batch);
    const frames = await framesOf({
      ...result,
      batches: async function* () {
        yield joined;
      },
    });
    expect(frames[0]).toBe(`data: ${A}\n\ndata: ${B}\n\n`);
  });
});
