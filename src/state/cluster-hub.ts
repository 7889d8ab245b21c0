import { type Clock, systemClock } from '../common/clock.js';
import type { RemoteStateEvent } from '../routing/index.js';
import { IPC_TAG, isStateMessage, type PrimaryMessage, type WorkerMessage } from './cluster-protocol.js';
import { StateTable } from './state-table.js';
import { decodeChange } from './wire.js';

/** What the hub needs of a worker (a `node:cluster` Worker has it). */
export interface HubWorker {
  send(message: PrimaryMessage): boolean;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  on(event: 'exit', listener: () => void): unknown;
}

/**
 * The primary process of `serve --workers N` as the workers' shared state when no Redis is
 * configured: it keeps the state (`StateTable`), answers probe claims and counter reads, and
 * relays every accepted breaker or cooldown change to the other workers. A worker that (re)starts
 * says hello and gets the current state. Nothing on a worker's hot path waits for it.
 */
export class ClusterHub {
  readonly #table: StateTable;
  readonly #workers = new Map<HubWorker, string | undefined>();

  constructor(clock: Clock = systemClock) {
    this.#table = new StateTable(clock);
  }

  /** Starts serving `worker`. */
  attach(worker: HubWorker): void {
    this.#workers.set(worker, undefined);
    worker.on('message', (message) => {
      if (isStateMessage<WorkerMessage>(message)) this.#handle(worker, message);
    });
    worker.on('exit', () => {
      const id = this.#workers.get(worker);
      if (id !== undefined) this.#table.forgetHolder(id);
      this.#workers.delete(worker);
    });
  }

  #handle(worker: HubWorker, message: WorkerMessage): void {
    const from = message.from;
    if (typeof from !== 'string') return;
    this.#workers.set(worker, from);
    switch (message.op) {
      case 'hello':
        for (const event of this.#table.snapshot()) send(worker, { tag: IPC_TAG, op: 'event', event });
        return;
      case 'breaker': {
        const change = decodeChange(message.change);
        if (change === undefined || typeof message.model !== 'string') return;
        const stored = this.#table.writeBreaker(message.model, change, from);
        if (stored === undefined)
          this.#relay(worker, { type: 'breaker', model: message.model, change, instanceId: from });
        else {
          const { from: by, ...storedChange } = stored;
          send(worker, {
            tag: IPC_TAG,
            op: 'event',
            event: { type: 'breaker', model: message.model, change: storedChange, instanceId: by },
          });
        }
        return;
      }
      case 'cooldown': {
        if (typeof message.model !== 'string' || !Number.isFinite(message.untilMs)) return;
        const stored = this.#table.writeCooldown(message.model, message.untilMs);
        const event: RemoteStateEvent = {
          type: 'cooldown',
          model: message.model,
          untilMs: message.untilMs,
          instanceId: from,
        };
        if (stored === undefined) this.#relay(worker, event);
        else
          send(worker, {
            tag: IPC_TAG,
            op: 'event',
            event: { ...event, untilMs: stored, instanceId: 'primary' },
          });
        return;
      }
      case 'claim':
        send(worker, {
          tag: IPC_TAG,
          op: 'claimed',
          id: message.id,
          won: this.#table.claimProbe(message.model, from, message.ttlMs),
        });
        return;
      case 'release':
        this.#table.releaseProbe(message.model, from);
        return;
      case 'counts':
        this.#table.addCounts(from, Array.isArray(message.adds) ? message.adds : []);
        send(worker, {
          tag: IPC_TAG,
          op: 'counts',
          id: message.id,
          totals: this.#table.counts(from, Array.isArray(message.wants) ? message.wants : []),
        });
        return;
      case 'reset':
        this.#table.resetCount(message.key);
        return;
    }
  }

  /** Sends an accepted change to every worker but the one that made it. */
  #relay(origin: HubWorker, event: RemoteStateEvent): void {
    for (const worker of this.#workers.keys())
      if (worker !== origin) send(worker, { tag: IPC_TAG, op: 'event', event });
  }
}

/** A worker that is exiting may refuse messages: that must not stop the hub. */
function send(worker: HubWorker, message: PrimaryMessage): void {
  try {
    worker.send(message);
  } catch {
    // The worker is gone; its 'exit' cleans up.
  }
}
