/**
 * Header values keyed by lowercase name, as Node and undici hand them over. Only the first value of
 * an array is used.
 */
export type HeaderLookup = Record<string, string | string[] | undefined>;

/** Longest wait any header may ask for: 24 hours, in ms. Longer values are capped to it. */
export const MAX_RETRY_AFTER_MS = 24 * 60 * 60 * 1000;

const DECIMAL = /^(?:\d+(?:\.\d*)?|\.\d+)$/;

/** Units of a Go-style duration (what OpenAI sends in `x-ratelimit-reset-*`), in ms. */
const UNIT_MS: Readonly<Record<string, number>> = {
  h: 3_600_000,
  m: 60_000,
  s: 1_000,
  ms: 1,
  us: 1e-3,
  µs: 1e-3, // U+00B5 micro sign
  μs: 1e-3, // U+03BC Greek mu
  ns: 1e-6,
};
// Longer units first so `ms` is not read as `m` followed by a stray `s`.
const DURATION_PART = /(\d+(?:\.\d*)?|\.\d+)(ms|us|µs|μs|ns|h|m|s)/y;

/**
 * Parses a Go-style duration such as `1s`, `6m0s`, `20ms`, `1h2m3.5s` or `0.5s` into milliseconds
 * (possibly fractional). Units: h, m, s, ms, us/µs, ns, in any order, case-insensitive; the bare
 * string `0` is zero. Signs, exponents, spaces inside, bare numbers and other text are rejected.
 *
 * @returns the duration in ms, or undefined when the string is not a valid non-negative duration.
 */
export function parseDurationMs(text: string): number | undefined {
  const s = text.trim().toLowerCase();
  if (s === '0') return 0;
  if (s === '') return undefined;
  DURATION_PART.lastIndex = 0;
  let totalMs = 0;
  while (DURATION_PART.lastIndex < s.length) {
    const match = DURATION_PART.exec(s);
    if (match === null) return undefined;
    const [, amount, unit] = match;
    totalMs += Number(amount) * UNIT_MS[unit!]!;
  }
  return Number.isFinite(totalMs) ? totalMs : undefined;
}

function first(headers: HeaderLookup, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function parseDecimal(text: string): number | undefined {
  const s = text.trim();
  if (!DECIMAL.test(s)) return undefined;
  const n = Number(s);
  return Number.isFinite(n) ? n : undefined;
}

/** A month name and an hh:mm:ss time: present in all three HTTP-date formats (RFC 9110 §5.6.7). */
const HTTP_DATE_SHAPE = /\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\b.*\b\d{1,2}:\d{2}:\d{2}\b/i;

const HAS_ZONE = /(?:\b(?:gmt|utc|z)|[+-]\d{2}:?\d{2})$/i;

function parseHttpDateMs(text: string, nowMs: number): number | undefined {
  const s = text.trim();
  // Date.parse alone is too lenient: it reads "-5" or "1 apple" as dates.
  if (!HTTP_DATE_SHAPE.test(s)) return undefined;
  // asctime dates carry no zone and Date.parse would read them as local time; HTTP dates are GMT.
  const atMs = Date.parse(HAS_ZONE.test(s) ? s : `${s} GMT`);
  const delayMs = Math.max(0, atMs - nowMs);
  return Number.isFinite(delayMs) ? delayMs : undefined;
}

function fromRetryAfterMs(headers: HeaderLookup): number | undefined {
  const value = first(headers, 'retry-after-ms');
  return value === undefined ? undefined : parseDecimal(value);
}

function fromRetryAfter(headers: HeaderLookup, nowMs: number): number | undefined {
  const value = first(headers, 'retry-after');
  if (value === undefined) return undefined;
  const seconds = parseDecimal(value);
  if (seconds !== undefined) return seconds * 1000;
  return parseHttpDateMs(value, nowMs);
}

/**
 * OpenAI's reset headers. A kind (requests, tokens) counts when its reset is valid and its
 * `x-ratelimit-remaining-*` header is `0`, absent or unreadable; a positive remaining count means
 * that limit is not what stopped us. The longest counted reset wins.
 */
function fromRateLimitReset(headers: HeaderLookup): number | undefined {
  let best: number | undefined;
  for (const kind of ['requests', 'tokens'] as const) {
    const resetText = first(headers, `x-ratelimit-reset-${kind}`);
    if (resetText === undefined) continue;
    const resetMs = parseDurationMs(resetText);
    if (resetMs === undefined) continue;
    const remainingText = first(headers, `x-ratelimit-remaining-${kind}`);
    const remaining = remainingText === undefined ? undefined : parseDecimal(remainingText);
    if (remaining !== undefined && remaining > 0) continue;
    if (best === undefined || resetMs > best) best = resetMs;
  }
  return best;
}

/**
 * How long the upstream asks us to wait before retrying, in whole ms (rounded up, capped at
 * {@link MAX_RETRY_AFTER_MS}). Sources, first valid one wins:
 * 1. `retry-after-ms`: milliseconds, may be fractional;
 * 2. `retry-after`: delta-seconds (integer or decimal) or an HTTP-date (a past date gives 0);
 * 3. `x-ratelimit-reset-requests` / `x-ratelimit-reset-tokens`: durations like `6m0s`, see
 *    {@link parseDurationMs}; the longer of the limits that are exhausted (remaining `0` or unknown).
 * A garbage or negative value makes that source count as absent.
 *
 * @param headers response headers with lowercase names.
 * @param nowMs current time in ms since the epoch, to turn an HTTP-date into a delay.
 * @returns the delay in ms, or undefined when no header gives a usable value.
 */
export function parseRetryAfterMs(headers: HeaderLookup, nowMs: number): number | undefined {
  const delayMs = fromRetryAfterMs(headers) ?? fromRetryAfter(headers, nowMs) ?? fromRateLimitReset(headers);
  if (delayMs === undefined) return undefined;
  return Math.min(Math.ceil(delayMs), MAX_RETRY_AFTER_MS);
}
