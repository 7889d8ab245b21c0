import type { Clock } from '../common/clock.js';
import type { SwitchboardConfig } from '../config/types.js';
import { localSharedState, type SharedState } from '../routing/index.js';
import { ClusterSharedState } from './cluster-shared-state.js';
import { newInstanceId } from './instance-id.js';
import { RedisSharedState } from './redis-shared-state.js';
import type { StoreHealthChange } from './store-health.js';

/** Options for {@link createSharedState}. */
export interface CreateSharedStateOptions {
  clock: Clock;
  /** Hears when the store becomes unreachable and when it is back (once per change). */
  onHealth?: (change: StoreHealthChange) => void;
  /** Running as a `serve --workers` worker: without Redis, share through the primary process. */
  clusterWorker?: boolean;
  /** Default: host, pid and a random part. */
  instanceId?: string;
}

/**
 * The shared state the config asks for: Redis for `state: { store: redis }`; the primary process
 * for a `serve --workers` worker otherwise; else this instance alone (`shared: false`).
 */
export function createSharedState(
  config: SwitchboardConfig,
  options: CreateSharedStateOptions,
): { state: SharedState; shared: boolean } {
  const instanceId = options.instanceId ?? newInstanceId();
  const store = config.state ?? { store: 'memory' };
  if (store.store === 'redis') {
    const state = new RedisSharedState({
      url: store.url,
      prefix: store.prefix,
      models: Object.keys(config.models),
      clock: options.clock,
      instanceId,
      onHealth: options.onHealth,
    });
    return { state, shared: true };
  }
  if (options.clusterWorker && typeof process.send === 'function') {
    const state = new ClusterSharedState({ clock: options.clock, instanceId, onHealth: options.onHealth });
    return { state, shared: true };
  }
  return { state: localSharedState(instanceId), shared: false };
}
