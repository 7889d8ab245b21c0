import type { ChatCompletionChunk } from '../../providers/types.js';
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
 * upstream read) as one string, then `data: [DONE]\n\n`. A chunk that came through unchanged is
 * written as the upstream's own JSON text, not serialised again. A stream that breaks after content
 * ends with an OpenAI-style error event and no [DONE], so no client mistakes a truncated answer for
 * a complete one. With `debug`, a last chunk carries the attempt list in a `switchboard` field.
 */
export async function* sseFrames(result: StreamResult, debug: boolean): AsyncGenerator<string> {
  let last: ChatCompletionChunk | undefined;
  try {
    for await (const batch of result.batches()) {
      let frames = '';
      for (const event of batch) frames += `data: ${event.raw ?? JSON.stringify(event.chunk)}\n\n`;
      last = batch[batch.length - 1]?.chunk;
      yield frames;
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
