/**
 * Shared state between gateway instances: Redis (`state: { store: redis }`) or the primary process of
 * `serve --workers`. The core only knows the `SharedState` seam of routing/shared-state.ts.
 */
export { ClusterHub, type HubWorker } from './cluster-hub.js';
export { ClusterSharedState, type ClusterSharedStateOptions } from './cluster-shared-state.js';
export { type CreateSharedStateOptions, createSharedState } from './create-shared-state.js';
export { newInstanceId } from './instance-id.js';
export { RedisSharedState, type RedisSharedStateOptions } from './redis-shared-state.js';
export type { StoreHealthChange } from './store-health.js';
