import type { SharedBreakerChange } from '../resilience/breaker-types.js';
import type { RemoteStateEvent } from '../routing/index.js';
import type { CounterAdd, CounterWant } from './counter-book.js';

/** Marks the IPC messages of the shared state, among whatever else a worker and its primary say. */
export const IPC_TAG = 'switchboard:state';

/** What a `serve --workers` worker tells the primary. */
export type WorkerMessage = { tag: typeof IPC_TAG; from: string } & (
  | { op: 'hello' }
  | { op: 'breaker'; model: string; change: SharedBreakerChange }
  | { op: 'cooldown'; model: string; untilMs: number }
  | { op: 'claim'; id: number; model: string; ttlMs: number }
  | { op: 'release'; model: string }
  | { op: 'counts'; id: number; adds: CounterAdd[]; wants: CounterWant[] }
  | { op: 'reset'; key: string }
);

/** What the primary tells a worker. */
export type PrimaryMessage = { tag: typeof IPC_TAG } & (
  | { op: 'event'; event: RemoteStateEvent }
  | { op: 'claimed'; id: number; won: boolean }
  | { op: 'counts'; id: number; totals: Array<[string, number]> }
);

/** Is `message` one of ours (as a worker or the primary sent it)? */
export function isStateMessage<T extends WorkerMessage | PrimaryMessage>(message: unknown): message is T {
  return (
    typeof message === 'object' &&
    message !== null &&
    (message as { tag?: unknown }).tag === IPC_TAG &&
    typeof (message as { op?: unknown }).op === 'string'
  );
}
