// GET /events read with fetch and a streaming body reader: EventSource cannot send the bearer header,
// and the key must never go in a URL.
import { AuthError, get } from './api.js';

/** Parses SSE text into frames; returns the unparsed tail. Each frame's `data` lines are joined. */
export function parseFrames(text, onFrame) {
  let rest = text;
  for (;;) {
    const end = rest.indexOf('\n\n');
    if (end === -1) return rest;
    const block = rest.slice(0, end);
    rest = rest.slice(end + 2);
    const data = [];
    for (const line of block.split('\n')) if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
    if (data.length > 0) onFrame(data.join('\n'));
  }
}

/**
 * Follows `path` until `signal` aborts, reconnecting after a break (1 s, doubling to 15 s).
 * `onStatus(text)` tells the page how the stream is doing; a refused key stops it.
 */
export async function followEvents(path, { onEvent, onStatus, onAuthError, signal }) {
  let delayMs = 1000;
  while (!signal.aborted) {
    try {
      const res = await get(path, { signal, headers: { accept: 'text/event-stream' } });
      if (!res.ok || !res.body) throw new Error(`HTTP ${res.status}`);
      onStatus('Live: newest first.');
      delayMs = 1000;
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer = parseFrames(buffer + value, (data) => {
          try {
            onEvent(JSON.parse(data));
          } catch {
            // a frame that is not JSON is skipped
          }
        });
      }
      if (signal.aborted) return;
      onStatus('The event stream ended; reconnecting…');
    } catch (error) {
      if (signal.aborted) return;
      if (error instanceof AuthError) {
        onAuthError(error);
        return;
      }
      onStatus(`The event stream broke (${error.message}); reconnecting in ${Math.round(delayMs / 1000)} s…`);
    }
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    delayMs = Math.min(delayMs * 2, 15_000);
  }
}
