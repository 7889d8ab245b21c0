import type { Dispatcher } from 'undici';
import type { AbortSignalLike } from '../common/linked-abort.js';
import { headerMap } from './openai-compatible/dispatch-text.js';
import type { HeaderMap } from './upstream-error.js';

/** An upstream answer whose body is read as it arrives. */
export interface StreamingResponse {
  statusCode: number;
  /** The response headers, lower-cased (built when asked: a healthy stream never needs them). */
  headers(): HeaderMap;
  body: BodyPieces;
}

/** Pieces held before undici is asked to pause reading (backpressure). */
const HIGH_WATER_PIECES = 16;

/**
 * One request whose body is read piece by piece (one piece per network read), through undici's
 * handler API: no response stream object and no stream async iterator, whose machinery costs more
 * than the parsing of a chunk. Resolves once the headers are in; rejects with undici's error, or with
 * the signal's reason when it aborts first. After that the body fails the same way.
 */
export function dispatchStream(
  dispatcher: Dispatcher,
  options: Dispatcher.DispatchOptions,
  signal: AbortSignalLike,
): Promise<StreamingResponse> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    let abortRequest: ((reason: unknown) => void) | undefined;
    let answered = false;
    const body = new BodyPieces((reason) => abortRequest?.(reason));
    const onAbort = () => abortRequest?.(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    const done = () => signal.removeEventListener('abort', onAbort);
    const handler = {
      onConnect(abort: (reason: unknown) => void) {
        abortRequest = abort;
        if (signal.aborted) abort(signal.reason);
      },
      onHeaders(statusCode: number, rawHeaders: Buffer[] | string[] | null, resume: () => void) {
        answered = true;
        body.resume = resume;
        resolve({ statusCode, headers: () => headerMap(rawHeaders), body });
        return true;
      },
      onData(piece: Buffer) {
        return body.push(piece);
      },
      onComplete() {
        done();
        body.end();
      },
      onError(error: unknown) {
        done();
        const reason = signal.aborted ? signal.reason : error;
        if (answered) body.fail(reason);
        else reject(reason);
      },
    };
    dispatcher.dispatch(options, handler as unknown as Dispatcher.DispatchHandler);
  });
}

/**
 * A response body as an async iterator of its pieces. Ending early (`return()`, as a `for await`
 * that stops does) aborts the request, as destroying a response stream would.
 */
export class BodyPieces implements AsyncIterableIterator<Buffer> {
  /** undici's resume, once reading was paused. */
  resume: (() => void) | undefined;
  readonly #abort: (reason: unknown) => void;
  readonly #queue: Buffer[] = [];
  #ended = false;
  #failure: { error: unknown } | undefined;
  #waiter: { resolve: (r: IteratorResult<Buffer>) => void; reject: (e: unknown) => void } | undefined;
  #paused = false;

  constructor(abort: (reason: unknown) => void) {
    this.#abort = abort;
  }

  /** A piece arrived; false asks undici to pause until the reader catches up. */
  push(piece: Buffer): boolean {
    const waiter = this.#waiter;
    if (waiter) {
      this.#waiter = undefined;
      waiter.resolve({ value: piece, done: false });
      return true;
    }
    this.#queue.push(piece);
    if (this.#queue.length < HIGH_WATER_PIECES) return true;
    this.#paused = true;
    return false;
  }

  end(): void {
    this.#ended = true;
    const waiter = this.#waiter;
    this.#waiter = undefined;
    waiter?.resolve({ value: undefined, done: true });
  }

  fail(error: unknown): void {
    if (this.#ended) return;
    this.#failure = { error };
    const waiter = this.#waiter;
    this.#waiter = undefined;
    waiter?.reject(error);
  }

  next(): Promise<IteratorResult<Buffer>> {
    const piece = this.#queue.shift();
    if (piece !== undefined) {
      if (this.#paused && this.#queue.length === 0) {
        this.#paused = false;
        this.resume?.();
      }
      return Promise.resolve({ value: piece, done: false });
    }
    if (this.#failure) return Promise.reject(this.#failure.error);
    if (this.#ended) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => {
      this.#waiter = { resolve, reject };
    });
  }

  return(): Promise<IteratorResult<Buffer>> {
    if (!this.#ended && !this.#failure) {
      this.#failure = { error: new Error('the body was abandoned') };
      this.#abort(this.#failure.error);
    }
    this.#queue.length = 0;
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  /** The rest of the body as text (an error answer's); what cannot be read is left out. */
  async text(): Promise<string> {
    const pieces: Buffer[] = [];
    try {
      for (;;) {
        const next = await this.next();
        if (next.done) break;
        pieces.push(next.value);
      }
    } catch {
      // the status is what matters
    }
    return Buffer.concat(pieces).toString();
  }
}
