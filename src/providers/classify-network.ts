import { UpstreamError } from './upstream-error.js';

const CONNECT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/** Classifies a network-level failure (no HTTP answer). Every one is transient. */
export function classifyNetworkError(error: unknown): UpstreamError {
  const code = errorCode(error);
  const connectFailed =
    (code !== undefined &&
      (CONNECT_CODES.has(code) || code.startsWith('ERR_TLS') || code.includes('CERT'))) ||
    false;
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
