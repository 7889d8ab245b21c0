import { deepFreeze } from './freeze.js';
import type {
  AdaptiveTimeouts,
  CircuitBreakerPolicy,
  HealthProbePolicy,
  LedgerConfig,
  LoggingConfig,
  RetryBudgetConfig,
  RetryPolicy,
  RouteConfig,
  RouteStrategy,
  ServerConfig,
  Timeouts,
} from './types.js';

interface Defaults {
  retry: RetryPolicy;
  circuitBreaker: CircuitBreakerPolicy;
  timeouts: Timeouts;
  healthProbe: HealthProbePolicy;
  adaptiveTimeouts: AdaptiveTimeouts;
  retryBudget: RetryBudgetConfig;
  server: ServerConfig;
  logging: LoggingConfig;
  ledger: LedgerConfig;
  state: { store: 'memory'; prefix: string };
  otlp: { protocol: 'http/protobuf'; sampleRatio: number; includeContent: false; serviceName: string };
  provider: { maxConnections: number };
  model: { assistantPrefill: boolean };
  route: {
    fallbackOnContentPolicy: boolean;
    strategy: RouteStrategy;
    streamRecovery: RouteConfig['streamRecovery'];
    /** The weight of a chain entry written as a bare model name. */
    weight: number;
    /** Ordered routes: the longest Retry-After waited out on an earlier model (README: failure handling). */
    waitForPreferredMs: number;
  };
}

/** Every default the config loader applies, in one place. A key absent from the file takes this value. */
export const DEFAULTS: Readonly<Defaults> = deepFreeze({
  retry: { maxRetries: 2, baseDelayMs: 500, maxDelayMs: 8_000, maxRetryAfterMs: 10_000 },
  circuitBreaker: { failureThreshold: 3, windowMs: 30_000, cooldownMs: 30_000, maxCooldownMs: 30_000 },
  timeouts: {
    connectMs: 5_000,
    firstByteMs: 15_000,
    firstTokenMs: 30_000,
    stallMs: 30_000,
    attemptMs: 60_000,
    totalMs: 120_000,
  },
  // Every 10 s while a breaker is open: a healed model is back within ~10 s (target: 30 s).
  healthProbe: { enabled: true, intervalMs: 10_000 },
  adaptiveTimeouts: {
    enabled: true,
    multiple: 4,
    floorMs: 2_000,
    minSamples: 50,
    json: false,
    perThousandPromptTokensMs: 250,
  },
  retryBudget: { ratio: 0.2, minRetriesPerWindow: 10, windowMs: 10_000 },
  server: { host: '127.0.0.1', port: 8787, apiKeys: [], maxBodyBytes: 4_194_304 },
  logging: { level: 'info' },
  ledger: { path: './switchboard.db', retentionDays: 90, storeContent: false },
  state: { store: 'memory', prefix: 'switchboard' },
  otlp: { protocol: 'http/protobuf', sampleRatio: 1, includeContent: false, serviceName: 'switchboard' },
  provider: { maxConnections: 64 },
  model: { assistantPrefill: true },
  route: {
    fallbackOnContentPolicy: false,
    strategy: 'ordered',
    streamRecovery: 'continue',
    weight: 1,
    waitForPreferredMs: 1_000,
  },
});
