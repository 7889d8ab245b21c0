import { type ChunkFacts, scanTextChunk } from '../chunk-facts.js';
import type { ChatCompletionChunk, StreamBatch, StreamEvent } from '../types.js';

/**
 * Parses an OpenAI-style SSE body into stream events, one batch per piece of the body (a network
 * read): the events that piece completed. Comments and non-`data` fields are ignored, multi-line
 * `data` is joined with `\n`, `[DONE]` ends the stream (its batch is the last), a data payload that
 * is not a JSON object becomes a `malformed` event (never passed on as a chunk). A chunk keeps its
 * payload text (`raw`) when parsing changed nothing, so it can be forwarded as it came. A plain text
 * chunk, nearly every chunk of an answer, is not parsed at all: its facts are read from its text
 * (`scanTextChunk`) and the chunk is built only if something asks for it.
 * Errors from the byte source propagate to the consumer unchanged.
 */
export async function* parseSse(source: AsyncIterable<Uint8Array | string>): AsyncGenerator<StreamBatch> {
  const decoder = new TextDecoder();
  let buffer = '';
  let data: string[] = [];
  for await (const piece of source) {
    buffer += typeof piece === 'string' ? piece : decoder.decode(piece, { stream: true });
    let batch: StreamEvent[] | undefined;
    let start = 0;
    let newline = buffer.indexOf('\n');
    while (newline !== -1) {
      const end = newline > start && buffer.charCodeAt(newline - 1) === 13 ? newline - 1 : newline;
      if (end === start) {
        if (data.length > 0) {
          const event = toEvent(data.length === 1 ? (data[0] as string) : data.join('\n'));
          data = [];
          batch ??= [];
          batch.push(event);
          if (event.type === 'done') {
            yield batch;
            return;
          }
        }
      } else if (buffer.startsWith('data:', start)) {
        data.push(buffer.slice(buffer.charCodeAt(start + 5) === 32 ? start + 6 : start + 5, end));
      }
      start = newline + 1;
      newline = buffer.indexOf('\n', start);
    }
    buffer = start === 0 ? buffer : buffer.slice(start);
    if (batch) yield batch;
  }
  buffer += decoder.decode();
  if (buffer.startsWith('data:')) data.push(buffer.charCodeAt(5) === 32 ? buffer.slice(6) : buffer.slice(5));
  if (data.length > 0) yield [toEvent(data.join('\n'))];
}

function toEvent(payload: string): StreamEvent {
  if (payload === '[DONE]') return { type: 'done' };
  const facts = scanTextChunk(payload);
  if (facts !== undefined) return new ScannedChunk(payload, facts);
  try {
    const parsed: unknown = JSON.parse(payload);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
      const chunk = parsed as ChatCompletionChunk;
      if (Array.isArray(chunk.choices)) return { type: 'chunk', chunk, raw: payload };
      chunk.choices = [];
      return { type: 'chunk', chunk };
    }
  } catch {
    // fall through
  }
  return { type: 'malformed', data: payload.slice(0, 200) };
}

/** A text chunk known by its facts; the chunk object is parsed from its text only when asked for. */
class ScannedChunk {
  readonly type = 'chunk';
  readonly raw: string;
  readonly facts: ChunkFacts;
  #chunk: ChatCompletionChunk | undefined;

  constructor(raw: string, facts: ChunkFacts) {
    this.raw = raw;
    this.facts = facts;
  }

  get chunk(): ChatCompletionChunk {
    this.#chunk ??= JSON.parse(this.raw) as ChatCompletionChunk;
    return this.#chunk;
  }
}
