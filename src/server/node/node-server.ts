import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { systemClock } from '../../common/clock.js';
import { LinkedAbort } from '../../common/linked-abort.js';
import type { WireRequest } from '../endpoints/types.js';
import type { FrontDoor } from '../front-door.js';
import { GatewayError } from '../wire/gateway-error.js';
import { toOpenAIError } from '../wire/to-openai-error.js';
import { readJsonBody, sendJson, writeAnswer } from './http-io.js';
import { StreamsInFlight } from './streams-in-flight.js';

export interface NodeServerOptions {
  /** A slow client gets this long to send its request (ms). */
  requestTimeoutMs?: number;
  /** Largest request header block (bytes). */
  maxHeaderBytes?: number;
}

const DEFAULTS = {
  requestTimeoutMs: 30_000, // 30s to send headers and body
  maxHeaderBytes: 16 * 1024, // 16 KiB
  keepAliveTimeoutMs: 5_000, // 5s idle keep-alive
  endStreamsMs: 1_000, // 1s for shutdown error events to be written
} as const;

/**
 * The front door on Node's own http module (not listening). A framework was measured first: Fastify
 * capped this machine at ~6.7k requests/s on a bare JSON route against ~10.6k for node:http, and the
 * gateway's overhead is a headline figure, so this adapter stays this thin.
 */
export function createNodeServer(door: FrontDoor, options: NodeServerOptions = {}): NodeFace {
  const streams = new StreamsInFlight();
  const requestTimeoutMs = options.requestTimeoutMs ?? DEFAULTS.requestTimeoutMs;
  const server = createServer(
    {
      maxHeaderSize: options.maxHeaderBytes ?? DEFAULTS.maxHeaderBytes,
      requestTimeout: requestTimeoutMs,
      headersTimeout: requestTimeoutMs,
      keepAliveTimeout: DEFAULTS.keepAliveTimeoutMs,
    },
    (req, res) => {
      serve(door, req, res, streams).catch((error) => {
        if (res.headersSent) res.destroy();
        else {
          const wire = toOpenAIError(error);
          sendJson(res, wire.status, wire.body, wire.headers);
        }
      });
    },
  );
  server.on('clientError', answerClientError);
  return {
    server,
    async endStreams(waitMs = DEFAULTS.endStreamsMs) {
      if (streams.size === 0) return;
      const inFlight = streams.list();
      for (const stream of inFlight) stream.shutdown();
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, waitMs);
      });
      await Promise.race([Promise.allSettled(inFlight.map((stream) => stream.written)), timeout]);
      clearTimeout(timer);
    },
  };
}

/** The Node face: its server, and a way to end the streams in flight when the gateway stops. */
export interface NodeFace {
  server: Server;
  /**
   * Ends every stream in flight with a `shutdown` error event, and waits (at most `waitMs`) until
   * their answers are written: the end of a graceful close, before the remaining sockets are cut.
   */
  endStreams(waitMs?: number): Promise<void>;
}

async function serve(
  door: FrontDoor,
  req: IncomingMessage,
  res: ServerResponse,
  streams: StreamsInFlight,
): Promise<void> {
  const url = req.url ?? '/';
  if (url.charCodeAt(0) !== 47 /* '/' */) throw notOriginForm();
  const request = new NodeRequest(req, res, url);
  try {
    const answer = await door(request);
    const written = writeAnswer(res, answer, request);
    if (answer.kind !== 'sse') return await written;
    const entry = streams.add(answer.shutdown, written);
    try {
      await written;
    } finally {
      streams.remove(entry);
    }
  } finally {
    request.dispose();
  }
}

/**
 * One Node request as the front door reads it. A class, so that a request costs one object (its
 * methods live on the prototype); the client's disconnect signal is built only when asked for.
 */
class NodeRequest implements WireRequest {
  readonly method: string;
  readonly path: string;
  readonly query: string;
  readonly #req: IncomingMessage;
  readonly #res: ServerResponse;
  #client: LinkedAbort | undefined;
  #onClose: (() => void) | undefined;

  constructor(req: IncomingMessage, res: ServerResponse, url: string) {
    this.#req = req;
    this.#res = res;
    this.method = req.method ?? 'GET';
    const q = url.indexOf('?');
    this.path = q === -1 ? url : url.slice(0, q);
    this.query = q === -1 ? '' : url.slice(q + 1);
  }

  header(name: string): string | undefined {
    const value = this.#req.headers[name];
    return typeof value === 'string' ? value : Array.isArray(value) ? value[0] : undefined;
  }

  json(limitBytes: number): Promise<unknown> {
    return readJsonBody(this.#req, limitBytes);
  }

  get signal(): LinkedAbort {
    if (!this.#client) {
      const client = new LinkedAbort(systemClock);
      const res = this.#res;
      this.#onClose = () => {
        if (!res.writableFinished) client.abort(new Error('the client disconnected'));
      };
      res.on('close', this.#onClose);
      this.#client = client;
    }
    return this.#client;
  }

  /** Stops listening for the client going away (the answer is written). */
  dispose(): void {
    if (this.#onClose) this.#res.off('close', this.#onClose);
  }
}

function notOriginForm(): GatewayError {
  return new GatewayError(
    400,
    'invalid_request_error',
    'invalid_request_target',
    'Send the request target as a path (origin form, such as /v1/chat/completions); absolute URLs and other forms are refused.',
  );
}

/** Node's parser refused the request (bad syntax, headers too large, too slow): answer in OpenAI's shape. */
function answerClientError(error: NodeJS.ErrnoException, socket: Socket): void {
  if (!socket.writable || (error as { code?: string }).code === 'ECONNRESET') {
    socket.destroy();
    return;
  }
  const code = error.code;
  const [status, reason, wireCode, message] =
    code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'Request Header Fields Too Large', 'headers_too_large', 'The request headers are too large.']
      : code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'Request Timeout', 'request_timeout', 'The request took too long to arrive.']
        : [400, 'Bad Request', 'bad_request', 'The request is not valid HTTP/1.1.'];
  const body = JSON.stringify({
    error: { message, type: 'invalid_request_error', param: null, code: wireCode },
  });
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  );
}
