import type { StreamResult } from '../../routing/index.js';
import { debugView } from './metadata-headers.js';
import { toOpenAIError } from './to-openai-error.js';

/** The answer headers of an event stream (both faces). */
export const SSE_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'text/event-stream',
  'cache-control': 'no-cache',
};

/**
 * A committed stream as SSE frames: `data: <chunk>\n\n` per chunk, then `data: [DONE]\n\n`.
 * A stream that breaks after content ends with an OpenAI-style error event and no [DONE], so no
 * client mistakes a truncated answer for a complete one. With `debug`, a last chunk carries the
 * attempt list in a `switchboard` field.
 */
export async function* sseFrames(result: StreamResult, debug: boolean): AsyncGenerator<string> {
  let lastId: string | undefined;
  let model: string | undefined;
  try {
    for await (const chunk of result) {
      lastId = chunk.id;
      model = chunk.model;
      yield `data: ${JSON.stringify(chunk)}\n\n`;
    }
  } catch (error) {
    yield `data: ${JSON.stringify(toOpenAIError(error).body)}\n\n`;
    return;
  }
  if (debug) {
    const tail = {
      id: lastId,
      object: 'chat.completion.chunk',
      model,
      choices: [],
      switchboard: debugView(result.metadata),
    };
    yield `data: ${JSON.stringify(tail)}\n\n`;
  }
  yield 'data: [DONE]\n\n';
}
