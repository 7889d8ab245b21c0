import { describe, expect, it } from 'vitest';
import { baseDoc } from '../../test/support/config-docs.js';
import { parseConfig } from '../config/index.js';
import { configSecrets, REDACTED, redact } from './redact.js';

describe('configSecrets: the OTLP collector', () => {
  it('treats its endpoint and header values as secrets', () => {
    const config = parseConfig({
      ...baseDoc(),
      telemetry: {
        otlp: {
          endpoint: 'https://user:pass@collector.example.com',
          headers: { 'x-honeycomb-team': 'hc-key-0123' },
        },
      },
    });
    const secrets = configSecrets(config);
    expect(secrets).toContain('hc-key-0123');
    expect(secrets).toContain('https://user:pass@collector.example.com');
    expect(redact('export to https://user:pass@collector.example.com with hc-key-0123', secrets)).toBe(
      `export to ${REDACTED} with ${REDACTED}`,
    );
  });
});
