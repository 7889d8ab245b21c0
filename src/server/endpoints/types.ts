import type { AbortSignalLike } from '../../common/linked-abort.js';

/**
 * The front door's seam: a request as both faces (the Node server and `sb.fetch`) present it, and the
 * answer an endpoint gives, which each face writes its own way. Plain objects: the Node face builds no
 * Web Request/Response (measured at several µs each, paid per request).
 */
export interface WireRequest {
  method: string;
  /** The path without the query string, e.g. `/v1/chat/completions`. */
  path: string;
  /** The query string without `?` (empty when none). */
  query: string;
  /** A request header by lowercase name; undefined when absent (a repeated header: the first). */
  header(name: string): string | undefined;
  /**
   * The body parsed as JSON, at most `limitBytes`: 413 `request_too_large` past it (refused on an
   * honest `content-length` before reading), 400 `invalid_json` when empty or not JSON.
   */
  json(limitBytes: number): Promise<unknown>;
  /** Aborts when the client goes away. */
  readonly signal: AbortSignalLike;
}

/** What an endpoint answers; `onEnd` runs once the answer is written (or abandoned). */
export type WireResponse = (
  | {
      kind: 'json';
      status: number;
      headers?: Record<string, string>;
      /** An object, or its JSON text already (an upstream answer passed on as it came). */
      body: unknown;
    }
  | { kind: 'text'; status: number; headers?: Record<string, string>; contentType: string; body: string }
  | {
      kind: 'sse';
      status: number;
      headers?: Record<string, string>;
      /** The frames, already formatted (`data: …\n\n`): text, or the upstream's bytes as they came. */
      frames: AsyncGenerator<string | Uint8Array>;
      /** Stops the stream and its upstream (the client went away). */
      cancel(): void;
      /** Ends the stream with a `shutdown` error event (the server is stopping). */
      shutdown(): void;
    }
) & { onEnd?: () => void };

export interface Endpoint {
  /** e.g. `POST`; a `GET` endpoint answers `HEAD` too. */
  method: 'GET' | 'POST';
  path: string;
  /** Behind `server.api_keys` (default true). */
  auth?: boolean;
  /** Listed in the 404 answer for an unknown path (the API endpoints both faces serve). */
  listed?: boolean;
  /** How this endpoint's errors look on the wire (default: OpenAI's error shape). */
  toError?: (error: unknown) => EndpointError;
  /**
   * A header that may carry the gateway key bare (`x-api-key: <key>`, Anthropic's way), accepted
   * beside `Authorization: Bearer <key>`.
   */
  apiKeyHeader?: string;
  handle(request: WireRequest): Promise<WireResponse> | WireResponse;
}

/** An error as an endpoint answers it: OpenAI's shape by default, or the endpoint's own wire's. */
export interface EndpointError {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}
