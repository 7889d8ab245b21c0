import { pickWaitHeaders } from '../openai-compatible/classify.js';
import { type HeaderMap, UpstreamError } from '../upstream-error.js';
import { readGoogleError } from './read-error.js';

/**
 * Gemini's words for an over-long prompt: 400 INVALID_ARGUMENT "The input token count (N) exceeds the
 * maximum number of tokens allowed (M)." Google sends no code for it, so the documented message is read.
 */
const CONTEXT_MESSAGE =
  /input token count .*exceeds the maximum number of tokens allowed|exceeds the maximum number of tokens/i;
/** Reasons (google.rpc.ErrorInfo) and statuses that mean this key or account cannot use the API. */
const PROVIDER_REASONS = new Set([
  'API_KEY_INVALID',
  'API_KEY_SERVICE_BLOCKED',
  'CONSUMER_SUSPENDED',
  'SERVICE_DISABLED',
]);
const PROVIDER_STATUSES = new Set([
  'UNAUTHENTICATED',
  'PERMISSION_DENIED',
  'NOT_FOUND',
  'FAILED_PRECONDITION',
]);

/**
 * Classifies a non-2xx Gemini answer from its status and its Google error body. Pure.
 * - 429 RESOURCE_EXHAUSTED → rate_limited; a `google.rpc.RetryInfo.retryDelay` becomes a
 *   `retry-after-ms` header, which the engine reads like any other, so the model cools down for it;
 * - 5xx (500 INTERNAL, 503 UNAVAILABLE, 504 DEADLINE_EXCEEDED) and 499 CANCELLED → transient;
 * - 401, 403, 404, an invalid key (400 with ErrorInfo API_KEY_INVALID), FAILED_PRECONDITION
 *   (billing, region) → provider;
 * - 400 INVALID_ARGUMENT saying the input is too long → context_length; any other 4xx → client.
 */
export function classifyGeminiError(
  status: number,
  headers: HeaderMap,
  bodyText: string,
  secrets: readonly string[] = [],
): UpstreamError {
  const body = readGoogleError(bodyText);
  let waits = pickWaitHeaders(headers);
  if (body.retryDelayMs !== undefined && waits?.['retry-after-ms'] === undefined) {
    waits = { ...waits, 'retry-after-ms': String(body.retryDelayMs) };
  }
  const common = {
    status,
    secrets,
    code: `http_${status}`,
    providerMessage: body.message,
    providerCode: body.status,
    headers: waits,
  };
  if (status === 429 || body.status === 'RESOURCE_EXHAUSTED')
    return new UpstreamError({ ...common, kind: 'rate_limited' });
  if (status >= 500 || status === 499 || status === 408)
    return new UpstreamError({ ...common, kind: 'transient' });
  if (
    status === 401 ||
    status === 403 ||
    status === 404 ||
    body.reasons.some((r) => PROVIDER_REASONS.has(r)) ||
    (body.status !== undefined && PROVIDER_STATUSES.has(body.status))
  ) {
    return new UpstreamError({ ...common, kind: 'provider' });
  }
  if ((status === 400 || status === 413) && body.message && CONTEXT_MESSAGE.test(body.message)) {
    return new UpstreamError({ ...common, kind: 'context_length' });
  }
  if (status >= 400) return new UpstreamError({ ...common, kind: 'client' });
  return new UpstreamError({ ...common, kind: 'transient', code: 'unexpected_status' });
}
