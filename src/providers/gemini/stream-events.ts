import type { AbortSignalLike } from '../../common/linked-abort.js';
import { streamReadFailure } from '../classify-network.js';
import { parseSse } from '../openai-compatible/sse.js';
import type { StreamBatch, StreamEvent } from '../types.js';
import type { UpstreamError } from '../upstream-error.js';
import { classifyGeminiError } from './classify.js';
import type { StreamConverter } from './convert-stream.js';
import type { GeminiResponse } from './wire-types.js';

/**
 * Gemini SSE → stream events, a batch per network read. The body has no `[DONE]`: a clean end after
 * a finish reason is the end (then the usage chunk and `done`); a clean end without one is left
 * without `done`, which the engine reads as a broken stream. An `{"error": …}` payload is classified
 * like an error status (what came before it in the same read is passed on first); a broken body
 * becomes a transient `stream_broken`.
 */
export async function* geminiEvents(
  source: AsyncIterable<Uint8Array | string>,
  converter: StreamConverter,
  signal: AbortSignalLike,
  secrets: readonly string[] = [],
): AsyncGenerator<StreamBatch> {
  try {
    for await (const batch of parseSse(source)) {
      const out: StreamEvent[] = [];
      let failure: UpstreamError | undefined;
      for (const event of batch) {
        if (event.type === 'malformed') {
          out.push(event);
          continue;
        }
        if (event.type === 'done') break;
        const response = event.chunk as unknown as GeminiResponse;
        if (response.error !== undefined) {
          const code = (response.error as { code?: unknown } | null)?.code;
          failure = classifyGeminiError(
            typeof code === 'number' ? code : 500,
            {},
            JSON.stringify({ error: response.error }),
            secrets,
          );
          break;
        }
        for (const chunk of converter.push(response)) out.push({ type: 'chunk', chunk });
      }
      if (out.length > 0) yield out;
      if (failure) throw failure;
    }
  } catch (error) {
    throw streamReadFailure(error, signal);
  }
  const tail: StreamEvent[] = [];
  for (const chunk of converter.end()) tail.push({ type: 'chunk', chunk });
  if (converter.finished) tail.push({ type: 'done' });
  if (tail.length > 0) yield tail;
}
