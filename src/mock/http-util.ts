import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';

/** Request bodies beyond this are answered with 413 and not kept. */
export const MAX_BODY_BYTES = 16 * 1024 * 1024;

/**
 * Reads the whole request body as UTF-8. Resolves null when it is larger than MAX_BODY_BYTES (the
 * rest is drained); rejects when the client goes away first.
 */
export function readBody(req: IncomingMessage): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
      else chunks.length = 0;
    });
    req.on('end', () => {
      if (size > MAX_BODY_BYTES) resolve(null);
      else
        resolve(chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8'));
    });
    req.on('error', reject);
    req.on('close', () => {
      if (!req.complete) reject(new Error('client closed the request before sending its body'));
    });
  });
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: OutgoingHttpHeaders = {},
): void {
  sendRaw(res, status, JSON.stringify(body), headers);
}

/** Sends a body with a JSON content type, whatever the text (bad-json sends a truncated one). */
export function sendRaw(
  res: ServerResponse,
  status: number,
  text: string,
  headers: OutgoingHttpHeaders = {},
): void {
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/** Path without the query string. */
export function pathOf(url: string | undefined): string {
  if (url === undefined) return '/';
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}
