/** One server-sent event: its `event:` name (if any) and its joined `data:` lines. */
export interface SseEvent {
  event?: string;
  data: string;
}

/**
 * Splits an SSE byte stream into events (`event:` + `data:` lines up to a blank line), a batch per
 * piece of the stream (a network read): the events that piece completed. Comments and other fields
 * are ignored, multi-line data is joined with `\n`, CRLF is accepted, a last event without its blank
 * line is still yielded. Errors of the byte source propagate unchanged.
 */
export async function* parseSseEvents(
  source: AsyncIterable<Uint8Array | string>,
): AsyncGenerator<SseEvent[]> {
  const decoder = new TextDecoder();
  let buffer = '';
  let event: string | undefined;
  let data: string[] = [];
  const take = (): SseEvent | undefined => {
    const out =
      data.length > 0 ? { ...(event !== undefined ? { event } : {}), data: data.join('\n') } : undefined;
    event = undefined;
    data = [];
    return out;
  };
  const feed = (line: string): SseEvent | undefined => {
    if (line === '') return take();
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.charCodeAt(0) === 32) value = value.slice(1);
    if (field === 'event') event = value;
    else if (field === 'data') data.push(value);
    return undefined;
  };
  for await (const piece of source) {
    buffer += typeof piece === 'string' ? piece : decoder.decode(piece, { stream: true });
    const batch: SseEvent[] = [];
    let start = 0;
    let newline = buffer.indexOf('\n');
    while (newline !== -1) {
      const end = newline > start && buffer.charCodeAt(newline - 1) === 13 ? newline - 1 : newline;
      const out = feed(buffer.slice(start, end));
      if (out) batch.push(out);
      start = newline + 1;
      newline = buffer.indexOf('\n', start);
    }
    buffer = start === 0 ? buffer : buffer.slice(start);
    if (batch.length > 0) yield batch;
  }
  buffer += decoder.decode();
  if (buffer !== '') feed(buffer);
  const last = take();
  if (last) yield [last];
}
