import { randomUUID } from 'node:crypto';
import type { AbortSignalLike } from '../../common/linked-abort.js';
import type { RequestOptions } from '../../routing/index.js';

const SAFE_REQUEST_ID = /^[\w.:-]{1,128}$/;

/**
 * Switchboard's request headers, read the same way by the Node server and by `sb.fetch`:
 * `x-request-id` (the caller's when it is a plain id, else a new UUID), `x-switchboard-route`,
 * `x-switchboard-debug: 1`.
 */
export function readRequestHeaders(
  header: (name: string) => string | null | undefined,
  signal: AbortSignalLike,
): { options: RequestOptions & { requestId: string }; debug: boolean } {
  const callerId = header('x-request-id');
  const requestId = callerId && SAFE_REQUEST_ID.test(callerId) ? callerId : randomUUID();
  const options: RequestOptions & { requestId: string } = { signal, requestId };
  const route = header('x-switchboard-route');
  if (route != null) options.route = route;
  return { options, debug: header('x-switchboard-debug') === '1' };
}
