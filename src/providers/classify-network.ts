import type { AbortSignalLike } from '../common/linked-abort.js';
import { gatewayFault, type LocalFailure } from './local-failure.js';
import { UpstreamError } from './upstream-error.js';

const CONNECT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/**
 * undici's codes for what the upstream or the network did (a closed socket, a timeout, a malformed
 * or oversized answer). Its other codes (`UND_ERR_INVALID_ARG`, `UND_ERR_DESTROYED`,
 * `UND_ERR_REQ_CONTENT_LENGTH_MISMATCH`, …) are the gateway's own doing.
 */
const UNDICI_UPSTREAM_CODES = new Set([
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_HEADERS_OVERFLOW',
  'UND_ERR_RES_CONTENT_LENGTH_MISMATCH',
  'UND_ERR_RES_EXCEEDED_MAX_SIZE',
  'UND_ERR_INFO',
  'UND_ERR_PRX_TLS',
]);

/**
 * Whether an error code names a failure of the network or of the upstream: an OS socket error
 * (`ECONNRESET`, `EPIPE`, `EAI_AGAIN`), a TLS or certificate failure, an HTTP parse error of the
 * answer (`HPE_*`), or one of undici's upstream codes. Node's `ERR_*` argument errors are not.
 */
export function isTransportCode(code: string): boolean {
  if (/^E[A-Z]+$/.test(code) || /^EAI_[A-Z]+$/.test(code)) return true;
  if (code.startsWith('ERR_TLS') || code.startsWith('ERR_SSL') || code.includes('CERT')) return true;
  if (code.startsWith('UNABLE_TO_') || code.startsWith('HPE_')) return true;
  return UNDICI_UPSTREAM_CODES.has(code);
}

/**
 * Classifies what a transport threw (no HTTP answer). A network failure is a transient
 * UpstreamError; anything else (a TypeError, a RangeError, an undici argument error) did not come
 * from the upstream and is a LocalFailure of the gateway, which never counts against a model.
 */
export function classifyNetworkError(error: unknown): UpstreamError | LocalFailure {
  if (error instanceof UpstreamError) return error;
  const code = errorCode(error);
  if (code === undefined || !isTransportCode(code)) return gatewayFault(error);
  const connectFailed = CONNECT_CODES.has(code) || code.startsWith('ERR_TLS') || code.includes('CERT');
  let detail = 'network_error';
  if (connectFailed) detail = code === 'UND_ERR_CONNECT_TIMEOUT' ? 'connect_timeout' : 'connect_failed';
  else if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || code === 'EPIPE') detail = 'reset';
  else if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') detail = 'timeout';
  return new UpstreamError({
    kind: 'transient',
    code: detail,
    providerMessage: code,
    connectFailed,
    cause: error,
  });
}

function errorCode(error: unknown): string | undefined {
  let e: unknown = error;
  for (let depth = 0; depth < 4 && e && typeof e === 'object'; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * What a failure while reading a stream's body becomes, for every wire: the signal's reason when we
 * aborted it, an UpstreamError as it is, the gateway's own fault as a LocalFailure, and whatever the
 * network did as a transient `stream_broken`.
 */
export function streamReadFailure(error: unknown, signal: AbortSignalLike): unknown {
  if (signal.aborted) return signal.reason;
  if (error instanceof UpstreamError) return error;
  const broken = classifyNetworkError(error);
  if (!(broken instanceof UpstreamError)) return broken; // not the upstream's doing
  return new UpstreamError({
    kind: 'transient',
    code: 'stream_broken',
    providerMessage: broken.providerMessage,
    cause: error,
  });
}
