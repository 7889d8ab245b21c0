import type { ChatCompletionChunk, StreamEvent } from '../types.js';

/**
 * Parses an OpenAI-style SSE body into stream events. Comments and non-`data` fields are ignored,
 * multi-line `data` is joined with `\n`, `[DONE]` ends the stream, a data payload that is not a JSON
 * object becomes a `malformed` event (never passed on as a chunk).
 * Errors from the byte source propagate to the consumer unchanged.
 */
export async function* parseSse(source: AsyncIterable<Uint8Array | string>): AsyncGenerator<StreamEvent> {
  const decoder = new TextDecoder();
  let buffer = '';
  let data: string[] = [];
  for await (const piece of source) {
    buffer += typeof piece === 'string' ? piece : decoder.decode(piece, { stream: true });
    let newline = buffer.indexOf('\n');
    while (newline !== -1) {
      const end = newline > 0 && buffer.charCodeAt(newline - 1) === 13 ? newline - 1 : newline;
      const line = buffer.slice(0, end);
      buffer = buffer.slice(newline + 1);
      if (line === '') {
        if (data.length > 0) {
          const event = toEvent(data.join('\n'));
          data = [];
          yield event;
          if (event.type === 'done') return;
        }
      } else if (line.startsWith('data:')) {
        data.push(line.charCodeAt(5) === 32 ? line.slice(6) : line.slice(5));
      }
      newline = buffer.indexOf('\n');
    }
  }
  buffer += decoder.decode();
  if (buffer.startsWith('data:')) data.push(buffer.charCodeAt(5) === 32 ? buffer.slice(6) : buffer.slice(5));
  if (data.length > 0) yield toEvent(data.join('\n'));
}

function toEvent(payload: string): StreamEvent {
  if (payload === '[DONE]') return { type: 'done' };
  try {
    const parsed: unknown = JSON.parse(payload);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
      const chunk = parsed as ChatCompletionChunk;
      if (!Array.isArray(chunk.choices)) chunk.choices = [];
      return { type: 'chunk', chunk };
    }
  } catch {
    // fall through
  }
  return { type: 'malformed', data: payload.slice(0, 200) };
}
