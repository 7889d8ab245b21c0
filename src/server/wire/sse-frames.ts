import type { ChatCompletionChunk, ChunkEvent } from '../../providers/types.js';
import type { StreamResult } from '../../routing/index.js';
import { debugView } from './metadata-headers.js';
import { toOpenAIError } from './to-openai-error.js';

/** The answer headers of an event stream (both faces). */
export const SSE_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'text/event-stream',
  'cache-control': 'no-cache',
};

/**
 * A committed stream as SSE frames: `data: <chunk>\n\n` per chunk, the frames of one batch (one
 * upstream read) together, then `data: [DONE]\n\n`. A chunk that came through unchanged is written
 * as the upstream's own JSON text, not serialised again; a batch of such chunks that lay one after
 * the other in one read is written as those bytes, not even encoded again. A stream that breaks
 * after content ends with an OpenAI-style error event and no [DONE], so no client mistakes a
 * truncated answer for a complete one. With `debug`, a last chunk carries the attempt list in a
 * `switchboard` field.
 */
export async function* sseFrames(result: StreamResult, debug: boolean): AsyncGenerator<string | Buffer> {
  let last: ChatCompletionChunk | undefined;
  try {
    for await (const batch of result.batches()) {
      last = batch[batch.length - 1]?.chunk;
      yield upstreamBytes(batch) ?? framesText(batch);
    }
  } catch (error) {
    yield `data: ${JSON.stringify(toOpenAIError(error).body)}\n\n`;
    return;
  }
  if (debug) {
    const tail = {
      id: last?.id,
      object: 'chat.completion.chunk',
      model: last?.model,
      choices: [],
      switchboard: debugView(result.metadata),
    };
    yield `data: ${JSON.stringify(tail)}\n\n`;
  }
  yield 'data: [DONE]\n\n';
}

/** The bytes a batch came in, when its chunks are unchanged frames lying one after another in one read. */
function upstreamBytes(batch: readonly ChunkEvent[]): Buffer | undefined {
  const first = batch[0];
  if (first?.frameBytes === undefined) return undefined;
  const bytes = first.frameBytes;
  let to = first.frameTo as number;
  for (let i = 1; i < batch.length; i++) {
    const event = batch[i] as ChunkEvent;
    if (event.frameBytes !== bytes || event.frameFrom !== to) return undefined;
    to = event.frameTo as number;
  }
  return bytes.subarray(first.frameFrom, to);
}

function framesText(batch: readonly ChunkEvent[]): string {
  let frames = '';
  for (const event of batch) frames += `data: ${event.raw ?? JSON.stringify(event.chunk)}\n\n`;
  return frames;
}
