/** What replaces a secret in text that leaves the gateway. */
export const REDACTED = '[redacted]';

/** Shorter strings are not treated as secrets: replacing them would mangle ordinary text. */
export const MIN_SECRET_LENGTH = 6;

/** Longest upstream message kept: a 10 MB error body must not become a 10 MB answer or log line. */
export const MAX_PROVIDER_MESSAGE_CHARS = 1_000;

const TOKEN = '[A-Za-z0-9._~+/=-]';
/** A credential-like value: 8+ token characters with a digit in them, or 24+ of any (prose words are neither). */
const VALUE = `(?:(?=${TOKEN}*\\d)${TOKEN}{8,}|${TOKEN}{24,})`;

/**
 * Text shaped like a credential, whoever's it is:
 * - `Bearer <token>` (any casing of the scheme), `Basic <token>`;
 * - vendor key shapes: `sk-…` (OpenAI, `sk-proj-…`, Anthropic's `sk-ant-…`), `AIza…` (Google),
 *   `xai-…`, `gsk_…` (Groq), `hf_…` (Hugging Face);
 * - the value after a key-like name: `key=…`, `api_key: …`, `"x-api-key": "…"`, `access_token=…`,
 *   `x-goog-api-key "…"`.
 * The name or scheme stays, so the message still says what was there.
 */
const SHAPES: ReadonlyArray<[RegExp, string]> = [
  [new RegExp(`\\b(Bearer|Basic)(\\s+)${VALUE}`, 'gi'), `$1$2${REDACTED}`],
  [/\b(?:sk-(?:ant-|proj-)?|xai-|gsk_|hf_)[A-Za-z0-9_-]{8,}/g, REDACTED],
  [/\bAIza[0-9A-Za-z_-]{20,}/g, REDACTED],
  [
    new RegExp(
      `\\b((?:x-goog-api-key|x-api-key|api[_-]?key|apikey|access[_-]?token|auth[_-]?token|secret|password|key|token)["']?\\s*[:=]\\s*["']?)${VALUE}`,
      'gi',
    ),
    `$1${REDACTED}`,
  ],
  [/\b((?:x-goog-api-key|x-api-key|api[_-]?key)\s+["'])[^"'\s]{6,}/gi, `$1${REDACTED}`],
];

/**
 * `text` with every given secret (exact, longest first) and everything shaped like a credential
 * replaced by {@link REDACTED}. Pure; `secrets` shorter than {@link MIN_SECRET_LENGTH} are ignored.
 */
export function redactSecrets(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= MIN_SECRET_LENGTH && out.includes(secret)) out = out.split(secret).join(REDACTED);
  }
  for (const [pattern, replacement] of SHAPES) out = out.replace(pattern, replacement);
  return out;
}

/** The secrets of one provider's config, longest first: its key and its extra header values. */
export function providerSecrets(
  apiKey: string | undefined,
  headers: Readonly<Record<string, string>> = {},
): string[] {
  const all = [apiKey, ...Object.values(headers)].filter(
    (v): v is string => typeof v === 'string' && v.length >= MIN_SECRET_LENGTH,
  );
  return [...new Set(all)].sort((a, b) => b.length - a.length);
}

/** An upstream's message made safe to show: secrets and credential shapes redacted, length capped. */
export function safeProviderMessage(text: string, secrets: readonly string[] = []): string {
  // Bounded work: only a head twice the cap is redacted, so a key straddling the cap is still whole.
  const head =
    text.length > MAX_PROVIDER_MESSAGE_CHARS * 2 ? text.slice(0, MAX_PROVIDER_MESSAGE_CHARS * 2) : text;
  const clean = redactSecrets(head, secrets);
  return clean.length > MAX_PROVIDER_MESSAGE_CHARS ? `${clean.slice(0, MAX_PROVIDER_MESSAGE_CHARS)}…` : clean;
}
