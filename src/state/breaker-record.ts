import type { SharedBreakerChange } from '../resilience/breaker-types.js';

/** A breaker change as a store keeps it: the change, and the instance that made it. */
export interface BreakerRecord extends SharedBreakerChange {
  from: string;
}

/**
 * Whether `change` replaces `current` in a store (the rule the Redis script and the cluster hub
 * share, and `CircuitBreaker.applyRemote` applies on each instance): between two opens the later
 * reopen deadline wins; otherwise the newer change (`atMs`) wins, an open beating a close made at
 * the same instant.
 */
export function supersedes(current: SharedBreakerChange | undefined, change: SharedBreakerChange): boolean {
  if (current === undefined) return true;
  if (change.state === 'open') {
    if (current.state === 'open')
      return (change.reopenAtMs ?? change.atMs) > (current.reopenAtMs ?? current.atMs);
    return change.atMs >= current.atMs;
  }
  return current.state === 'closed' ? change.atMs > current.atMs : change.atMs >= current.atMs;
}
