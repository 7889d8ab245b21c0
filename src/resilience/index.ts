/** Resilience primitives: backoff, Retry-After parsing, circuit breakers and cooldowns. Time and chance come in as Clock and Random. */
export { backoffDelayMs } from './backoff.js';
export {
  type BreakerSnapshot,
  type BreakerState,
  type BreakerTransition,
  CircuitBreaker,
  type Permit,
  type SharedBreakerChange,
} from './circuit-breaker.js';
export { Cooldowns } from './cooldowns.js';
export { type HeaderLookup, MAX_RETRY_AFTER_MS, parseDurationMs, parseRetryAfterMs } from './retry-after.js';
export { type SharedCounter, type SharedTally, sharedTally } from './shared-counter.js';
