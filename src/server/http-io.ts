import type { IncomingMessage, ServerResponse } from 'node:http';
import { GatewayError } from './wire/gateway-error.js';
import { toOpenAIError } from './wire/to-openai-error.js';

/** Sends a JSON answer in one write. `body` may already be serialised. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  headers['content-type'] = 'application/json';
  headers['content-length'] = String(Buffer.byteLength(text));
  res.writeHead(status, headers);
  res.end(text);
}

/** The one place an error becomes an HTTP answer: OpenAI's error shape with its status. */
export function sendError(res: ServerResponse, error: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const wire = toOpenAIError(error);
  sendJson(res, wire.status, wire.body, { ...headers, ...wire.headers });
}

const tooLarge = () =>
  new GatewayError(
    413,
    'invalid_request_error',
    'request_too_large',
    'The request body is larger than server.max_body_bytes allows.',
  );

/**
 * Reads a request body up to `limitBytes` and parses it as JSON. Over the limit → 413 (checked on
 * `content-length` first, so an honest oversize body is refused before it is read); not JSON → 400.
 */
export function readJsonBody(req: IncomingMessage, limitBytes: number): Promise<unknown> {
  const declared = Number(req.headers['content-length']);
  if (declared > limitBytes) return Promise.reject(tooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limitBytes) {
        cleanup();
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      const text = chunks.length === 1 ? (chunks[0] as Buffer).toString() : Buffer.concat(chunks).toString();
      if (text.length === 0) {
        reject(
          new GatewayError(
            400,
            'invalid_request_error',
            'invalid_json',
            'The request body is empty; send a JSON object.',
          ),
        );
        return;
      }
      try {
        resolve(JSON.parse(text));
      } catch {
        reject(
          new GatewayError(
            400,
            'invalid_request_error',
            'invalid_json',
            'The request body is not valid JSON.',
          ),
        );
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
