import type { Clock } from '../common/clock.js';
import type { SharedBreakerChange } from '../resilience/breaker-types.js';
import type { RemoteStateEvent, SharedState, SharedStateStatus } from '../routing/index.js';
import { IPC_TAG, isStateMessage, type PrimaryMessage, type WorkerMessage } from './cluster-protocol.js';
import { CounterBook } from './counter-book.js';
import { Listeners } from './listeners.js';
import { StoreHealth, type StoreHealthChange } from './store-health.js';

/** The IPC channel to the primary (`process` in a `node:cluster` worker). */
export interface PrimaryChannel {
  send?: (message: WorkerMessage) => boolean;
  connected?: boolean;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  on(event: 'disconnect', listener: () => void): unknown;
  off(event: 'message', listener: (message: unknown) => void): unknown;
}

/** Options for {@link ClusterSharedState}. */
export interface ClusterSharedStateOptions {
  clock: Clock;
  instanceId: string;
  onHealth?: (change: StoreHealthChange) => void;
  /** Default: `process`. */
  channel?: PrimaryChannel;
  /** How often counters are sent and read back (default 200 ms). */
  flushIntervalMs?: number;
  /** A probe claim the primary does not answer in this long is granted (default 500 ms). */
  replyTimeoutMs?: number;
}

/**
 * A `serve --workers` worker's shared state when no Redis is configured: the primary process is the
 * hub (`ClusterHub`). The same seam as Redis: publishing is a message, counters are batched, reads
 * are local, a claim the primary does not answer in time is granted, and a lost primary only makes
 * the worker decide alone.
 */
export class ClusterSharedState implements SharedState {
  readonly #options: ClusterSharedStateOptions;
  readonly #channel: PrimaryChannel;
  readonly #health: StoreHealth;
  readonly #book: CounterBook;
  readonly #listeners = new Listeners<RemoteStateEvent>();
  readonly #claims = new Map<number, (won: boolean) => void>();
  readonly #timer: NodeJS.Timeout;
  readonly #onMessage = (message: unknown) => this.#receive(message);
  #nextId = 1;
  #closed = false;

  constructor(options: ClusterSharedStateOptions) {
    this.#options = options;
    this.#channel = options.channel ?? (process as unknown as PrimaryChannel);
    this.#health = new StoreHealth('cluster', options.clock, options.onHealth);
    this.#book = new CounterBook(options.clock);
    this.#channel.on('message', this.#onMessage);
    this.#channel.on('disconnect', () => this.#health.down('the primary process is gone'));
    this.#timer = setInterval(() => this.#flush(), options.flushIntervalMs ?? 200);
    this.#timer.unref();
    if (this.#send({ op: 'hello' })) this.#health.up();
  }

  publishBreaker(model: string, change: SharedBreakerChange): void {
    this.#send({ op: 'breaker', model, change });
  }

  publishCooldown(model: string, untilMs: number): void {
    this.#send({ op: 'cooldown', model, untilMs });
  }

  claimProbe(model: string, ttlMs: number): Promise<boolean> {
    const id = this.#nextId++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => settle(true), this.#options.replyTimeoutMs ?? 500);
      const settle = (won: boolean) => {
        clearTimeout(timer);
        this.#claims.delete(id);
        resolve(won);
      };
      this.#claims.set(id, settle);
      if (!this.#send({ op: 'claim', id, model, ttlMs })) settle(true);
    });
  }

  releaseProbe(model: string): void {
    this.#send({ op: 'release', model });
  }

  addCount(key: string, amount: number, windowMs: number): void {
    this.#book.add(key, amount, windowMs);
  }

  count(key: string, windowMs: number): number {
    return this.#book.count(key, windowMs);
  }

  resetCount(key: string): void {
    this.#book.reset(key);
    this.#send({ op: 'reset', key });
  }

  onRemote(listener: (event: RemoteStateEvent) => void): () => void {
    return this.#listeners.on(listener);
  }

  status(): SharedStateStatus {
    const since = this.#health.degradedSinceMs;
    return {
      store: 'cluster',
      instanceId: this.#options.instanceId,
      connected: this.#health.connected,
      ...(since === undefined ? {} : { degradedSinceMs: since }),
    };
  }

  async ready(): Promise<void> {}

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#flush();
    this.#closed = true;
    clearInterval(this.#timer);
    this.#channel.off('message', this.#onMessage);
    for (const settle of [...this.#claims.values()]) settle(true);
  }

  #flush(): void {
    const adds = this.#book.drain();
    const wants = this.#book.wanted();
    if (adds.length > 0 || wants.length > 0) this.#send({ op: 'counts', id: this.#nextId++, adds, wants });
  }

  #receive(message: unknown): void {
    if (!isStateMessage<PrimaryMessage>(message)) return;
    switch (message.op) {
      case 'event':
        this.#listeners.emitText(message.event, this.#options.instanceId);
        return;
      case 'claimed':
        this.#claims.get(message.id)?.(message.won === true);
        return;
      case 'counts':
        for (const [key, total] of message.totals) this.#book.setOthers(key, total);
        return;
    }
  }

  /** Sends to the primary; false (and degraded) when it cannot be reached. */
  #send(
    body: WorkerMessage extends infer M ? (M extends unknown ? Omit<M, 'tag' | 'from'> : never) : never,
  ): boolean {
    if (this.#closed || this.#channel.connected === false || this.#channel.send === undefined) {
      if (!this.#closed) this.#health.down('no IPC channel to the primary process');
      this.#book.clearOthers();
      return false;
    }
    try {
      this.#channel.send({ ...body, tag: IPC_TAG, from: this.#options.instanceId } as WorkerMessage);
      return true;
    } catch (error) {
      this.#health.down(error instanceof Error ? error.message : String(error));
      return false;
    }
  }
}
