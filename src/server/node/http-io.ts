import { once } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AbortSignalLike } from '../../common/linked-abort.js';
import { merged } from '../../common/merged.js';
import type { WireResponse } from '../endpoints/types.js';
import { bodyTooLarge, declaredTooLarge, parseJsonBody } from '../wire/json-body.js';

/**
 * After a 413 the rest of an oversize body is read and thrown away, within these bounds, so the
 * client — still sending — gets to read the answer instead of a reset (a lingering close).
 */
export const LINGER = {
  maxBytes: 64 * 1024 * 1024, // 64 MiB discarded at most
  maxMs: 5_000, // 5s at most
} as const;

/** Sends a JSON answer in one write. `body` may already be serialised; `headers` is not changed. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Readonly<Record<string, string>> = {},
): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  const length = String(Buffer.byteLength(text));
  res.writeHead(status, merged(headers, { 'content-type': 'application/json', 'content-length': length }));
  res.end(text);
}

/** Writes a front-door answer: JSON and text in one write, SSE frame by frame with backpressure. */
export async function writeAnswer(
  res: ServerResponse,
  answer: WireResponse,
  request: { readonly signal: AbortSignalLike },
): Promise<void> {
  try {
    switch (answer.kind) {
      case 'json':
        sendJson(res, answer.status, answer.body, answer.headers);
        return;
      case 'text':
        res.writeHead(
          answer.status,
          merged(answer.headers ?? {}, {
            'content-type': answer.contentType,
            'content-length': String(Buffer.byteLength(answer.body)),
          }),
        );
        res.end(answer.body);
        return;
      case 'sse':
        res.writeHead(answer.status, merged(answer.headers ?? {}, { connection: 'keep-alive' }));
        await pipeFrames(res, answer.frames, request.signal, answer.cancel);
        return;
    }
  } finally {
    answer.onEnd?.();
  }
}

async function pipeFrames(
  res: ServerResponse,
  frames: AsyncGenerator<string | Uint8Array>,
  signal: AbortSignalLike,
  cancel: () => void,
) {
  const onAbort = () => cancel();
  if (signal.aborted) cancel();
  else signal.addEventListener('abort', onAbort, { once: true });
  try {
    for await (const frame of frames) {
      if (signal.aborted) break;
      if (!res.write(frame)) await Promise.race([once(res, 'drain'), once(res, 'close')]);
    }
  } finally {
    signal.removeEventListener('abort', onAbort);
    if (!res.destroyed) res.end();
  }
}

/**
 * Reads a request body up to `limitBytes` and parses it as JSON. Over the limit → 413 (checked on
 * `content-length` first, so an honest oversize body is refused before it is read), and the rest is
 * discarded within LINGER's bounds; not JSON → 400.
 */
export function readJsonBody(req: IncomingMessage, limitBytes: number): Promise<unknown> {
  if (declaredTooLarge(req.headers['content-length'], limitBytes)) {
    discardRest(req, 0);
    return Promise.reject(bodyTooLarge(limitBytes));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limitBytes) {
        cleanup();
        discardRest(req, size);
        reject(bodyTooLarge(limitBytes));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      const text = chunks.length === 1 ? (chunks[0] as Buffer).toString() : Buffer.concat(chunks).toString();
      try {
        resolve(parseJsonBody(text));
      } catch (error) {
        reject(error);
      }
    };
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    const cleanup = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
}

/**
 * Reads and drops what is left of a refused body, so the answer reaches a client that is still
 * sending; past LINGER's bounds the connection is cut.
 */
function discardRest(req: IncomingMessage, alreadyRead: number): void {
  let discarded = alreadyRead;
  const socket = req.socket;
  const cut = () => {
    cleanup();
    socket.destroy();
  };
  const timer = setTimeout(cut, LINGER.maxMs);
  timer.unref();
  const onData = (chunk: Buffer) => {
    discarded += chunk.length;
    if (discarded > LINGER.maxBytes) cut();
  };
  const cleanup = () => {
    clearTimeout(timer);
    req.off('data', onData);
    req.off('end', cleanup);
    req.off('close', cleanup);
  };
  req.on('data', onData);
  req.once('end', cleanup);
  req.once('close', cleanup);
  req.resume();
}
