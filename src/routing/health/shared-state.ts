import type { SharedBreakerChange } from '../../resilience/breaker-types.js';
import type { SharedCounter } from '../../resilience/shared-counter.js';

/** A change another instance made, as the shared state delivers it. */
export type RemoteStateEvent =
  | { type: 'breaker'; model: string; change: SharedBreakerChange; instanceId: string }
  | { type: 'cooldown'; model: string; untilMs: number; instanceId: string };

/** Where the shared state lives, and whether it can be reached now. */
export interface SharedStateStatus {
  /** `memory`: this instance alone; `redis`: a Redis server; `cluster`: the primary of `serve --workers`. */
  store: 'memory' | 'redis' | 'cluster';
  /** This instance's id in the cluster (tags what it publishes). */
  instanceId: string;
  connected: boolean;
  /** Since when the store has been unreachable (ms since the epoch); absent while connected. */
  degradedSinceMs?: number;
}

/**
 * What `ModelHealth` shares with the other instances of a cluster: breaker opens and closes, rate-limit
 * cooldowns, the half-open probe, and counters (retry budget, rpm/tpm, breaker failures). Nothing here
 * waits on the network: publishing and counting are fire-and-forget and batched, reads come from a
 * local copy kept current in the background, and a store that cannot be reached only makes the
 * instance decide alone (`status().degradedSinceMs`). Implementations never throw.
 */
export interface SharedState extends SharedCounter {
  /** A local breaker opened or closed: tell the others. */
  publishBreaker(model: string, change: SharedBreakerChange): void;
  /** A local cooldown was recorded: tell the others (the later deadline wins). */
  publishCooldown(model: string, untilMs: number): void;
  /**
   * Asks for the cluster-wide half-open probe of `model`, held for at most `ttlMs`: true for exactly
   * one instance at a time while the store is reachable, true at once when it is not.
   */
  claimProbe(model: string, ttlMs: number): Promise<boolean>;
  /** The probe of `model` this instance held has given its verdict: another may claim the next one. */
  releaseProbe(model: string): void;
  /** Changes made by the other instances (never this one's own); returns an unsubscribe function. */
  onRemote(listener: (event: RemoteStateEvent) => void): () => void;
  status(): SharedStateStatus;
  /** Resolves once the first synchronisation is done, or was given up on; never rejects. */
  ready(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The shared state of an instance that shares nothing (`state: { store: memory }`): publishing and
 * counting do nothing, every probe claim is granted, and no other instance ever speaks.
 */
export function localSharedState(instanceId: string): SharedState {
  return {
    publishBreaker: () => {},
    publishCooldown: () => {},
    claimProbe: async () => true,
    releaseProbe: () => {},
    addCount: () => {},
    count: () => 0,
    resetCount: () => {},
    onRemote: () => () => {},
    status: () => ({ store: 'memory', instanceId, connected: true }),
    ready: async () => {},
    close: async () => {},
  };
}
