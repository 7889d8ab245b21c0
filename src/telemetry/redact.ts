import type { SwitchboardConfig } from '../config/types.js';

/** What replaces a secret found in text meant for the outside world. */
export const REDACTED = '[redacted]';

/** Strings this short are not treated as secrets: replacing them would mangle ordinary text. */
const MIN_SECRET_LENGTH = 6;

/**
 * The strings of a config that must never leave the gateway: provider keys, provider header values
 * (some providers authenticate with a custom header), provider base URLs, the server's client keys
 * and the shared state's Redis URL.
 * Longest first, so a secret that contains another is replaced whole.
 */
export function configSecrets(config: SwitchboardConfig): string[] {
  const secrets = new Set<string>();
  const add = (value: string | undefined) => {
    if (value !== undefined && value.length >= MIN_SECRET_LENGTH) secrets.add(value);
  };
  for (const provider of Object.values(config.providers)) {
    add(provider.apiKey);
    add(provider.baseUrl);
    for (const value of Object.values(provider.headers)) add(value);
  }
  for (const key of config.server.apiKeys) add(key);
  // A Redis URL may carry a password.
  if (config.state?.store === 'redis') add(config.state.url);
  return [...secrets].sort((a, b) => b.length - a.length);
}

/** `text` with every occurrence of every secret replaced by {@link REDACTED}. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (out.includes(secret)) out = out.split(secret).join(REDACTED);
  }
  return out;
}
