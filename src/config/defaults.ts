import { deepFreeze } from './freeze.js';
import type { CircuitBreakerPolicy, LoggingConfig, RetryPolicy, ServerConfig, Timeouts } from './types.js';

interface Defaults {
  retry: RetryPolicy;
  circuitBreaker: CircuitBreakerPolicy;
  timeouts: Timeouts;
  server: ServerConfig;
  logging: LoggingConfig;
  provider: { maxConnections: number };
  route: { fallbackOnContentPolicy: boolean };
}

/** Every default the config loader applies, in one place. A key absent from the file takes this value. */
export const DEFAULTS: Readonly<Defaults> = deepFreeze({
  retry: { maxRetries: 2, baseDelayMs: 500, maxDelayMs: 8_000, maxRetryAfterMs: 10_000 },
  circuitBreaker: { failureThreshold: 3, windowMs: 30_000, cooldownMs: 30_000, maxCooldownMs: 300_000 },
  timeouts: { connectMs: 5_000, firstByteMs: 15_000, attemptMs: 60_000, totalMs: 120_000 },
  server: { host: '127.0.0.1', port: 8787, apiKeys: [], maxBodyBytes: 4_194_304 },
  logging: { level: 'info' },
  provider: { maxConnections: 64 },
  route: { fallbackOnContentPolicy: false },
});
