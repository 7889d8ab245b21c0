import type { Dispatcher } from 'undici';
import type { AbortSignalLike } from '../../common/linked-abort.js';
import type { HeaderMap } from '../upstream-error.js';

export interface TextResponse {
  statusCode: number;
  /** undici's raw header list: name, value, name, value… (read only when needed). */
  rawHeaders: Buffer[] | string[] | null;
  text: string;
}

/**
 * One request whose whole answer is read as text, through undici's handler API: no response stream
 * object, no header parsing on the way (a non-streaming completion needs neither). Rejects with
 * undici's error, or with the signal's reason when it aborts.
 */
export function dispatchText(
  dispatcher: Dispatcher,
  options: Dispatcher.DispatchOptions,
  signal: AbortSignalLike,
): Promise<TextResponse> {
  return new Promise((resolve, reject) => {
    let abortRequest: ((reason: unknown) => void) | undefined;
    let statusCode = 0;
    let rawHeaders: Buffer[] | string[] | null = null;
    const chunks: Buffer[] = [];
    let settled = false;
    const onAbort = () => abortRequest?.(signal.reason);
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      fn();
    };
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    signal.addEventListener('abort', onAbort, { once: true });
    const handler = {
      onConnect(abort: (reason: unknown) => void) {
        abortRequest = abort;
        if (signal.aborted) abort(signal.reason);
      },
      onHeaders(status: number, headers: Buffer[] | string[] | null) {
        statusCode = status;
        rawHeaders = headers;
        return true;
      },
      onData(chunk: Buffer) {
        chunks.push(chunk);
        return true;
      },
      onComplete() {
        const text =
          chunks.length === 1 ? (chunks[0] as Buffer).toString() : Buffer.concat(chunks).toString();
        settle(() => resolve({ statusCode, rawHeaders, text }));
      },
      onError(error: unknown) {
        settle(() => reject(signal.aborted ? signal.reason : error));
      },
    };
    dispatcher.dispatch(options, handler as unknown as Dispatcher.DispatchHandler);
  });
}

/** Lower-cased header map from undici's raw list. */
export function headerMap(raw: Buffer[] | string[] | null): HeaderMap {
  const out: HeaderMap = {};
  if (!raw) return out;
  for (let i = 0; i + 1 < raw.length; i += 2) out[String(raw[i]).toLowerCase()] = String(raw[i + 1]);
  return out;
}
