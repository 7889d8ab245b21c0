import type { SwitchboardConfig } from '../config/types.js';
import { MIN_SECRET_LENGTH, REDACTED, redactSecrets } from '../providers/redact-secrets.js';

export { REDACTED };

/**
 * The strings of a config that must never leave the gateway: provider keys, provider header values
 * (some providers authenticate with a custom header), provider base URLs, the server's client keys,
 * the shared state's Redis URL, and the OTLP collector's endpoint and headers.
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
  // The collector's endpoint and headers (often its API key).
  const otlp = config.telemetry?.otlp;
  add(otlp?.endpoint);
  for (const value of Object.values(otlp?.headers ?? {})) add(value);
  return [...secrets].sort((a, b) => b.length - a.length);
}

/**
 * `text` with every occurrence of every secret, and anything shaped like a credential, replaced by
 * {@link REDACTED}: a second pass (upstream messages are redacted where they are classified).
 */
export function redact(text: string, secrets: readonly string[]): string {
  return redactSecrets(text, secrets);
}
