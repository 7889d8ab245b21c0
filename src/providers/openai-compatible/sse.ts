import { type ChunkFacts, scanText } from '../chunk-facts.js';
import type { ChatCompletionChunk, StreamBatch, StreamEvent, Usage } from '../types.js';

/**
 * Parses an OpenAI-style SSE body into stream events, one batch per piece of the body (a network
 * read): the events that piece completed. Comments and non-`data` fields are ignored, multi-line
 * `data` is joined with `\n`, `[DONE]` ends the stream (its batch is the last), a data payload that
 * is not a JSON object becomes a `malformed` event (never passed on as a chunk). A chunk keeps its
 * payload text (`raw`) when parsing changed nothing, so it can be forwarded as it came. A plain text
 * chunk, nearly every chunk of an answer, is not parsed at all: its facts are read from its text
 * (`scanText`) and the chunk is built only if something asks for it.
 * Lines are found in the bytes and only the data lines are decoded, each into a string of its own:
 * no decoded copy of the whole body whose slices would keep it alive. A chunk whose frame is exactly
 * `data: <raw>\n\n` within one read also points at those bytes (`frameBytes`), so the endpoint can
 * write them as they came. Errors from the byte source propagate to the consumer unchanged.
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
        event = lines.line(line, 0, line.length, false);
      } else {
        event = lines.line(bytes, start, newline, true);
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
  if (last.length > 0) lines.line(last, 0, last.length, false);
  const event = lines.end();
  if (event) yield [event];
}

const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;

/** The SSE line grammar (the part a chat stream uses): `data:` lines, up to a blank line. */
class SseLines {
  #data: string | undefined;
  #moreData: string[] | undefined;
  /** Lines of the event so far (data or not). */
  #lines = 0;
  /** The event so far is one `data: ` line ending in LF, in `#frameBytes` from `#frameFrom`. */
  #frameBytes: Buffer | undefined;
  #frameFrom = 0;

  /**
   * One line, `bytes[from, to)` without its LF (`inRead`: `bytes` is the read itself, not a line
   * joined from several); an event when the line is the blank one ending it.
   */
  line(bytes: Buffer, from: number, to: number, inRead: boolean): StreamEvent | undefined {
    const end = to > from && bytes[to - 1] === CR ? to - 1 : to;
    if (end === from) {
      const plain = this.#frameBytes === bytes && end === to && inRead;
      return plain ? this.end(bytes, this.#frameFrom, to + 1) : this.end();
    }
    this.#lines++;
    if (isDataField(bytes, from, end)) {
      const spaced = bytes[from + DATA_LENGTH] === SPACE;
      const valueStart = spaced ? from + DATA_LENGTH + 1 : from + DATA_LENGTH;
      const value = bytes.toString('utf8', valueStart, end);
      if (this.#data === undefined) this.#data = value;
      else if (this.#moreData === undefined) this.#moreData = [this.#data, value];
      else this.#moreData.push(value);
      if (this.#lines === 1 && spaced && end === to && inRead) {
        this.#frameBytes = bytes;
        this.#frameFrom = from;
        return undefined;
      }
    }
    this.#frameBytes = undefined;
    return undefined;
  }

  /**
   * The event read so far, if it has data (a blank line, or the end of the body); `frameBytes`
   * when its frame lies whole in them at `[frameFrom, frameTo)`.
   */
  end(frameBytes?: Buffer, frameFrom = 0, frameTo = 0): StreamEvent | undefined {
    const data = this.#moreData ? this.#moreData.join('\n') : this.#data;
    this.#data = undefined;
    this.#moreData = undefined;
    this.#lines = 0;
    this.#frameBytes = undefined;
    return data === undefined ? undefined : toEvent(data, frameBytes, frameFrom, frameTo);
  }
}

const DATA_LENGTH = 5;

/** `bytes[from, end)` starts with `data:` (compared byte by byte: a Buffer.compare call costs more). */
function isDataField(bytes: Buffer, from: number, end: number): boolean {
  return (
    end - from >= DATA_LENGTH &&
    bytes[from] === 0x64 && // d
    bytes[from + 1] === 0x61 && // a
    bytes[from + 2] === 0x74 && // t
    bytes[from + 3] === 0x61 && // a
    bytes[from + 4] === 0x3a // :
  );
}

function asBuffer(piece: Uint8Array | string): Buffer {
  if (typeof piece === 'string') return Buffer.from(piece);
  return Buffer.isBuffer(piece) ? piece : Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength);
}

function toEvent(
  payload: string,
  frameBytes: Buffer | undefined,
  frameFrom: number,
  frameTo: number,
): StreamEvent {
  if (payload === '[DONE]') return { type: 'done' };
  const text = scanText(payload);
  if (text !== undefined) return new ScannedChunk(payload, text, frameBytes, frameFrom, frameTo);
  try {
    const parsed: unknown = JSON.parse(payload);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
      const chunk = parsed as ChatCompletionChunk;
      if (Array.isArray(chunk.choices)) {
        if (frameBytes === undefined) return { type: 'chunk', chunk, raw: payload };
        return { type: 'chunk', chunk, raw: payload, frameBytes, frameFrom, frameTo };
      }
      chunk.choices = [];
      return { type: 'chunk', chunk };
    }
  } catch {
    // fall through
  }
  return { type: 'malformed', data: payload.slice(0, 200) };
}

/**
 * A text chunk known by its text; the chunk object is parsed from its JSON only when asked for. It is
 * its own `facts` (a text chunk's other facts are constants), so a chunk costs one object.
 */
class ScannedChunk implements ChunkFacts {
  readonly type = 'chunk';
  readonly raw: string;
  readonly text: string;
  readonly hasContent: boolean;
  readonly frameBytes: Buffer | undefined;
  readonly frameFrom: number;
  readonly frameTo: number;
  #chunk: ChatCompletionChunk | undefined;

  constructor(raw: string, text: string, frameBytes: Buffer | undefined, frameFrom: number, frameTo: number) {
    this.raw = raw;
    this.text = text;
    this.hasContent = text.length > 0;
    this.frameBytes = frameBytes;
    this.frameFrom = frameFrom;
    this.frameTo = frameTo;
  }

  get facts(): ChunkFacts {
    return this;
  }

  get finished(): boolean {
    return false;
  }

  get noChoices(): boolean {
    return false;
  }

  get toolCalls(): boolean {
    return false;
  }

  get usage(): Usage | undefined {
    return undefined;
  }

  get chunk(): ChatCompletionChunk {
    this.#chunk ??= JSON.parse(this.raw) as ChatCompletionChunk;
    return this.#chunk;
  }
}
