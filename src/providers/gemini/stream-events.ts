import type { AbortSignalLike } from '../../common/linked-abort.js';
import { classifyNetworkError } from '../classify-network.js';
import { parseSse } from '../openai-compatible/sse.js';
import type { StreamEvent } from '../types.js';
import { UpstreamError } from '../upstream-error.js';
import { classifyGeminiError } from './classify.js';
import type { StreamConverter } from './convert-stream.js';
import type { GeminiResponse } from './wire-types.js';

/**
 * Gemini SSE → stream events. The body has no `[DONE]`: a clean end after a finish reason is the end
 * (then the usage chunk and `done`); a clean end without one is left without `done`, which the engine
 * reads as a broken stream. An `{"error": …}` payload is classified like an error status; a broken
 * body becomes a transient `stream_broken`.
 */
export async function* geminiEvents(
  source: AsyncIterable<Uint8Array | string>,
  converter: StreamConverter,
  signal: AbortSignalLike,
  secrets: readonly string[] = [],
): AsyncGenerator<StreamEvent> {
  try {
    for await (const event of parseSse(source)) {
      if (event.type === 'malformed') {
        yield event;
        continue;
      }
      if (event.type === 'done') break;
      const response = event.chunk as unknown as GeminiResponse;
      if (response.error !== undefined) {
        const code = (response.error as { code?: unknown } | null)?.code;
        throw classifyGeminiError(
          typeof code === 'number' ? code : 500,
          {},
          JSON.stringify({ error: response.error }),
          secrets,
        );
      }
      for (const chunk of converter.push(response)) yield { type: 'chunk', chunk };
    }
  } catch (error) {
    if (signal.aborted) throw signal.reason;
    if (error instanceof UpstreamError) throw error;
    const broken = classifyNetworkError(error);
    if (!(broken instanceof UpstreamError)) throw broken; // not the upstream's doing
    throw new UpstreamError({
      kind: 'transient',
      code: 'stream_broken',
      providerMessage: broken.providerMessage,
      cause: error,
    });
  }
  for (const chunk of converter.end()) yield { type: 'chunk', chunk };
  if (converter.finished) yield { type: 'done' };
}
