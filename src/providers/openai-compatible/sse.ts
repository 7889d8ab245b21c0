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
 * Lines are found in the bytes and only the data lines are decoded, each into a string of its own:
 * no decoded copy of the whole body whose slices would keep it alive. Errors from the byte source
 * propagate to the consumer unchanged.
 */
export async function* parseSse(source: AsyncIterable<Uint8Array | string>): AsyncGenerator<StreamBatch> {
  const lines = new SseLines();
  /** The start of a line that has not ended yet (the pieces it came in). */
  let unfinished: Buffer[] = [];
  for await (const piece of source) {
    const bytes = asBuffer(piece);
    let batch: StreamEvent[] | undefined;
    let start = 0;
    let newline = bytes.indexOf(LF);
    while (newline !== -1) {
      let event: StreamEvent | undefined;
      if (unfinished.length > 0) {
        unfinished.push(bytes.subarray(0, newline));
        const line = Buffer.concat(unfinished);
        unfinished = [];
        event = lines.line(line, 0, line.length);
      } else {
        event = lines.line(bytes, start, newline);
      }
      if (event) {
        batch ??= [];
        batch.push(event);
        if (event.type === 'done') {
          yield batch;
          return;
        }
      }
      start = newline + 1;
      newline = bytes.indexOf(LF, start);
    }
    if (start < bytes.length) unfinished.push(start === 0 ? bytes : bytes.subarray(start));
    if (batch) yield batch;
  }
  const last = Buffer.concat(unfinished);
  if (last.length > 0) lines.line(last, 0, last.length);
  const event = lines.end();
  if (event) yield [event];
}

const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const DATA = Buffer.from('data:');

/** The SSE line grammar (the part a chat stream uses): `data:` lines, up to a blank line. */
class SseLines {
  #data: string | undefined;
  #moreData: string[] | undefined;

  /** One line, `bytes[from, to)` without its LF; an event when the line is the blank one ending it. */
  line(bytes: Buffer, from: number, to: number): StreamEvent | undefined {
    const end = to > from && bytes[to - 1] === CR ? to - 1 : to;
    if (end === from) return this.end();
    if (end - from >= DATA.length && bytes.compare(DATA, 0, DATA.length, from, from + DATA.length) === 0) {
      const valueStart = bytes[from + DATA.length] === SPACE ? from + DATA.length + 1 : from + DATA.length;
      const value = bytes.toString('utf8', valueStart, end);
      if (this.#data === undefined) this.#data = value;
      else if (this.#moreData === undefined) this.#moreData = [this.#data, value];
      else this.#moreData.push(value);
    }
    return undefined;
  }

  /** The event read so far, if it has data (a blank line, or the end of the body). */
  end(): StreamEvent | undefined {
    const data = this.#moreData ? this.#moreData.join('\n') : this.#data;
    this.#data = undefined;
    this.#moreData = undefined;
    return data === undefined ? undefined : toEvent(data);
  }
}

function asBuffer(piece: Uint8Array | string): Buffer {
  if (typeof piece === 'string') return Buffer.from(piece);
  return Buffer.isBuffer(piece) ? piece : Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength);
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
