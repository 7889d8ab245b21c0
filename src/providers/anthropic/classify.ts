import { readErrorBody } from '../openai-compatible/classify.js';
import { type HeaderMap, UpstreamError } from '../upstream-error.js';

// Anthropic sends no code for these; its wording is documented and stable.
const CONTEXT_MESSAGE =
  /prompt is too long|exceed(?:s|ed)? (?:the )?context (?:limit|window)|context window/i;
const BILLING_MESSAGE = /credit balance is too low/i;

const RESET_KINDS = ['requests', 'tokens', 'input-tokens', 'output-tokens'] as const;

/**
 * Classifies a non-2xx Messages API answer from its status, headers and `{"type":"error","error":
 * {"type","message"}}` body. Pure.
 * - 429 `rate_limit_error` → rate_limited, with the wait as `retry-after` (see {@link waitHeaders});
 * - 529 `overloaded_error`, 500 `api_error`, any 5xx, 408 → transient;
 * - 401, 402, 403, 404 (`authentication_error`, `billing_error`, `permission_error`, `not_found_error`)
 *   and a 400 about the credit balance → provider (this account cannot serve it: fall back);
 * - 400 `invalid_request_error` saying the prompt is too long → context_length;
 * - other 4xx (400, 413 `request_too_large`) → client.
 */
export function classifyAnthropicError(
  status: number,
  headers: HeaderMap,
  bodyText: string,
  secrets: readonly string[] = [],
): UpstreamError {
  const body = readErrorBody(bodyText);
  const common = {
    status,
    secrets,
    code: `http_${status}`,
    providerMessage: body.message,
    providerCode: body.type,
    headers: waitHeaders(headers),
  };
  const message = body.message ?? '';
  if (status === 429) return new UpstreamError({ ...common, kind: 'rate_limited' });
  if (status === 408 || status >= 500) return new UpstreamError({ ...common, kind: 'transient' });
  if (status === 401 || status === 402 || status === 403 || status === 404 || BILLING_MESSAGE.test(message)) {
    return new UpstreamError({ ...common, kind: 'provider' });
  }
  if ((status === 400 || status === 413) && CONTEXT_MESSAGE.test(message)) {
    return new UpstreamError({ ...common, kind: 'context_length' });
  }
  if (status >= 400) return new UpstreamError({ ...common, kind: 'client' });
  return new UpstreamError({ ...common, kind: 'transient', code: 'unexpected_status' });
}

/**
 * The headers that say how long to wait, in a form the engine's `parseRetryAfterMs` reads:
 * `retry-after` (seconds) when Anthropic sent it; otherwise the latest `anthropic-ratelimit-*-reset`
 * (an RFC 3339 time) among the limits that are exhausted (remaining 0 or not sent), as an HTTP-date
 * `retry-after`. No clock is read: the engine turns the date into a delay.
 */
export function waitHeaders(headers: HeaderMap): HeaderMap | undefined {
  const retryAfter = first(headers['retry-after']);
  if (retryAfter !== undefined) return { 'retry-after': retryAfter };
  let latestMs: number | undefined;
  for (const kind of RESET_KINDS) {
    const reset = first(headers[`anthropic-ratelimit-${kind}-reset`]);
    if (reset === undefined) continue;
    const remaining = first(headers[`anthropic-ratelimit-${kind}-remaining`]);
    if (remaining !== undefined && Number(remaining) > 0) continue;
    const atMs = Date.parse(reset);
    if (Number.isFinite(atMs) && (latestMs === undefined || atMs > latestMs)) latestMs = atMs;
  }
  if (latestMs === undefined) return undefined;
  // An HTTP-date has whole seconds: round up so the wait is never shorter than asked.
  return { 'retry-after': new Date(Math.ceil(latestMs / 1000) * 1000).toUTCString() };
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
