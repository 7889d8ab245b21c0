import { Gauge, type Registry } from 'prom-client';
import type { SharedState } from '../routing/index.js';

/** The `state` field of `GET /status`: where shared state lives and whether it can be reached. */
export interface StateStatusBody {
  store: 'memory' | 'redis' | 'cluster';
  instance: string;
  connected: boolean;
  /** ISO 8601; null while connected. */
  degraded_since: string | null;
}

/** The shared state's status, as `GET /status` shows it. */
export function stateStatusBody(state: SharedState): StateStatusBody {
  const status = state.status();
  return {
    store: status.store,
    instance: status.instanceId,
    connected: status.connected,
    degraded_since:
      status.degradedSinceMs === undefined ? null : new Date(status.degradedSinceMs).toISOString(),
  };
}

/** `switchboard_state_store_up`: 1 while the shared state store is reachable (always 1 for memory). */
export function registerStateMetrics(registry: Registry, state: SharedState): void {
  new Gauge({
    name: 'switchboard_state_store_up',
    help: 'Whether the shared state store (Redis, or the primary of serve --workers) is reachable: 1 or 0; memory is always 1.',
    labelNames: ['store'],
    registers: [registry],
    collect() {
      const status = state.status();
      this.reset();
      this.labels(status.store).set(status.connected ? 1 : 0);
    },
  });
}
