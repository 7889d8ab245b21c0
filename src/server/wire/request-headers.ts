import { randomUUID } from 'node:crypto';
import type { AbortSignalLike } from '../../common/linked-abort.js';
import type { RequestOptions } from '../../routing/index.js';

const SAFE_REQUEST_ID = /^[\w.:-]{1,128}$/;
/** A version-00 traceparent is 55 characters; later versions may append fields. */
const MAX_TRACEPARENT_CHARS = 256;
/** W3C: at most 32 list members, and vendors may drop a tracestate longer than 512 characters. */
const MAX_TRACESTATE_CHARS = 512;

/**
 * Switchboard's request headers, read the same way by the Node server and by `sb.fetch`:
 * `x-request-id` (the caller's when it is a plain id, else a new UUID), `x-switchboard-route`,
 * `x-switchboard-debug: 1`, and the caller's W3C trace context (`traceparent`, `tracestate`) to continue
 * its trace (parsed, and ignored when malformed, by the tracing subscriber).
 */
export function readRequestHeaders(request: {
  header(name: string): string | null | undefined;
  readonly signal: AbortSignalLike;
}): { options: RequestOptions & { requestId: string }; debug: boolean } {
  const header = (name: string) => request.header(name);
  const signal = request.signal;
  const callerId = header('x-request-id');
  const requestId = callerId && SAFE_REQUEST_ID.test(callerId) ? callerId : randomUUID();
  const options: RequestOptions & { requestId: string } = { signal, requestId };
  const route = header('x-switchboard-route');
  if (route != null) options.route = route;
  const traceparent = header('traceparent');
  if (traceparent != null && traceparent.length <= MAX_TRACEPARENT_CHARS) {
    const tracestate = header('tracestate');
    options.trace =
      tracestate != null && tracestate.length <= MAX_TRACESTATE_CHARS
        ? { traceparent, tracestate }
        : { traceparent };
  }
  return { options, debug: header('x-switchboard-debug') === '1' };
}
