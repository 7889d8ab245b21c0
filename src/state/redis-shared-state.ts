import type { Redis, RedisOptions } from 'ioredis';
import type { Clock } from '../common/clock.js';
import { lazyRequire } from '../common/lazy-require.js';
import type { SharedBreakerChange } from '../resilience/breaker-types.js';
import type { RemoteStateEvent, SharedState, SharedStateStatus } from '../routing/index.js';
import { CounterBook } from './counter-book.js';
import { Listeners } from './listeners.js';
import {
  counterKeys,
  flushCounters,
  type RedisContext,
  wholeMs,
  writeBreaker,
  writeCooldown,
} from './redis-commands.js';
import { type RedisKeys, redisKeys } from './redis-keys.js';
import { defineScripts, type ScriptCommands } from './redis-scripts.js';
import { readStoredState } from './redis-snapshot.js';
import { StoreHealth, type StoreHealthChange } from './store-health.js';

const loadIoredis = lazyRequire<typeof import('ioredis')>('ioredis');

/** Options for {@link RedisSharedState}. */
export interface RedisSharedStateOptions {
  /** redis:// or rediss:// URL. */
  url: string;
  /** Every key and the channel start with `prefix:`. */
  prefix: string;
  /** The models whose stored state is read on (re)connection. */
  models: readonly string[];
  clock: Clock;
  /** Tags what this instance publishes and counts. */
  instanceId: string;
  /** Hears when Redis becomes unreachable and when it is back (once per change). */
  onHealth?: (change: StoreHealthChange) => void;
  /** How often counters are written and read back (default 200 ms). */
  flushIntervalMs?: number;
  /** A Redis command slower than this counts as a failure (default 500 ms). */
  commandTimeoutMs?: number;
  /** `ready()` gives up waiting for the first synchronisation after this (default 1 s). */
  readyTimeoutMs?: number;
}

const DEFAULTS = {
  flushIntervalMs: 200, // counters batched for 200 ms
  commandTimeoutMs: 500, // 0.5 s, then Redis counts as degraded
  connectTimeoutMs: 1_000, // 1 s per connection attempt
  readyTimeoutMs: 1_000, // startup waits at most 1 s for the first sync
  maxReconnectDelayMs: 2_000, // reconnect backoff: 50 ms doubling up to 2 s
} as const;

/**
 * The shared state in Redis. Every decision reads local memory: changes arrive by pub/sub on
 * `<prefix>:events` and are applied by the listeners; this instance writes only when its own
 * breakers open or close, a cooldown is recorded, a probe is claimed, and every `flushIntervalMs` for
 * the batched counters (one pipeline that also reads the other instances' totals back).
 *
 * Redis never makes a request wait or fail: commands are not queued while disconnected
 * (`enableOfflineQueue: false`), are not retried, and time out after `commandTimeoutMs`; any failure
 * only marks the store degraded (reported once), after which the instance decides alone. Changes it
 * could not publish are kept (the latest per model) and written when Redis is back, then the stored
 * state is read again: that is the resynchronisation.
 */
export class RedisSharedState implements SharedState {
  readonly #options: RedisSharedStateOptions;
  readonly #keys: RedisKeys;
  readonly #context: RedisContext;
  readonly #cmd: Redis & ScriptCommands;
  readonly #sub: Redis;
  readonly #health: StoreHealth;
  readonly #book: CounterBook;
  readonly #listeners = new Listeners<RemoteStateEvent>();
  readonly #unsentBreakers = new Map<string, SharedBreakerChange>();
  readonly #unsentCooldowns = new Map<string, number>();
  readonly #timer: NodeJS.Timeout;
  readonly #ready: Promise<void>;
  #markReady: () => void = () => {};
  #subscribed = false;
  #syncing = false;
  #syncAgain = false;
  #ticking = false;
  #closed = false;

  constructor(options: RedisSharedStateOptions) {
    this.#options = options;
    this.#keys = redisKeys(options.prefix);
    this.#health = new StoreHealth('redis', options.clock, options.onHealth);
    this.#book = new CounterBook(options.clock);
    const clientOptions: RedisOptions = {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: options.commandTimeoutMs ?? DEFAULTS.commandTimeoutMs,
      connectTimeout: DEFAULTS.connectTimeoutMs,
      retryStrategy: (times) => Math.min(50 * 2 ** Math.min(times, 10), DEFAULTS.maxReconnectDelayMs),
      autoResubscribe: false,
      connectionName: `switchboard:${options.instanceId}`,
    };
    const { Redis: RedisClient } = loadIoredis();
    this.#cmd = defineScripts(new RedisClient(options.url, clientOptions));
    this.#context = { client: this.#cmd, keys: this.#keys, instanceId: options.instanceId };
    this.#sub = new RedisClient(options.url, { ...clientOptions, commandTimeout: undefined });
    for (const client of [this.#cmd, this.#sub]) {
      // Without an 'error' listener ioredis would print every failed reconnection on stderr.
      client.on('error', (error: Error) => this.#down(error));
      client.on('close', () => this.#down(new Error('connection closed')));
    }
    this.#sub.on('close', () => {
      this.#subscribed = false;
    });
    this.#cmd.on('ready', () => void this.#sync());
    this.#sub.on('ready', () => void this.#subscribe());
    this.#sub.on('message', (_channel: string, text: string) =>
      this.#listeners.emitText(text, options.instanceId),
    );
    this.#timer = setInterval(() => void this.#tick(), options.flushIntervalMs ?? DEFAULTS.flushIntervalMs);
    this.#timer.unref();
    this.#ready = new Promise((resolve) => {
      this.#markReady = resolve;
      setTimeout(resolve, options.readyTimeoutMs ?? DEFAULTS.readyTimeoutMs).unref();
    });
  }

  publishBreaker(model: string, change: SharedBreakerChange): void {
    this.#unsentBreakers.set(model, change);
    if (this.#health.connected) void this.#writeBreaker(model, change);
  }

  publishCooldown(model: string, untilMs: number): void {
    this.#unsentCooldowns.set(model, Math.max(untilMs, this.#unsentCooldowns.get(model) ?? 0));
    if (this.#health.connected) void this.#writeCooldown(model, untilMs);
  }

  async claimProbe(model: string, ttlMs: number): Promise<boolean> {
    if (!this.#health.connected) return true;
    try {
      const won = await this.#cmd.sbProbeClaim(
        this.#keys.probe(model),
        this.#options.instanceId,
        wholeMs(ttlMs),
      );
      return won === 1;
    } catch (error) {
      this.#down(error);
      return true;
    }
  }

  releaseProbe(model: string): void {
    if (!this.#health.connected) return;
    this.#cmd.sbProbeRelease(this.#keys.probe(model), this.#options.instanceId).catch((e) => this.#down(e));
  }

  addCount(key: string, amount: number, windowMs: number): void {
    this.#book.add(key, amount, windowMs);
  }

  count(key: string, windowMs: number): number {
    return this.#book.count(key, windowMs);
  }

  resetCount(key: string, windowMs: number): void {
    this.#book.reset(key);
    if (!this.#health.connected) return;
    const keys = counterKeys(this.#keys, key, windowMs, this.#options.clock.now());
    this.#cmd.del(...keys).catch((e) => this.#down(e));
  }

  onRemote(listener: (event: RemoteStateEvent) => void): () => void {
    return this.#listeners.on(listener);
  }

  status(): SharedStateStatus {
    const since = this.#health.degradedSinceMs;
    return {
      store: 'redis',
      instanceId: this.#options.instanceId,
      connected: this.#health.connected,
      ...(since === undefined ? {} : { degradedSinceMs: since }),
    };
  }

  ready(): Promise<void> {
    return this.#ready;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#timer);
    if (this.#health.connected) await this.#flush().catch(() => {});
    for (const client of [this.#cmd, this.#sub]) {
      client.removeAllListeners('close');
      client.disconnect();
    }
  }

  /** The command connection is ready: write what could not be written, then read the stored state. */
  async #sync(): Promise<void> {
    if (this.#closed) return;
    if (this.#syncing) {
      this.#syncAgain = true;
      return;
    }
    this.#syncing = true;
    try {
      do {
        this.#syncAgain = false;
        if (!this.#subscribed || this.#cmd.status !== 'ready') return;
        for (const [model, change] of this.#unsentBreakers) await this.#writeBreaker(model, change, true);
        for (const [model, untilMs] of this.#unsentCooldowns) await this.#writeCooldown(model, untilMs, true);
        const stored = await readStoredState(this.#cmd, this.#keys, this.#options.models);
        for (const event of stored)
          if (event.instanceId !== this.#options.instanceId) this.#listeners.emit(event);
        this.#health.up();
        this.#markReady();
      } while (this.#syncAgain);
    } catch (error) {
      this.#down(error);
    } finally {
      this.#syncing = false;
    }
  }

  async #subscribe(): Promise<void> {
    try {
      await this.#sub.subscribe(this.#keys.channel);
      this.#subscribed = true;
      await this.#sync();
    } catch (error) {
      this.#down(error);
    }
  }

  /** Writes a breaker change; a newer stored one is applied here. Throws only when `rethrow`. */
  async #writeBreaker(model: string, change: SharedBreakerChange, rethrow = false): Promise<void> {
    try {
      const stored = await writeBreaker(this.#context, model, change, this.#options.clock.now());
      if (this.#unsentBreakers.get(model) === change) this.#unsentBreakers.delete(model);
      if (stored) this.#listeners.emit({ type: 'breaker', model, change: stored, instanceId: stored.from });
    } catch (error) {
      this.#down(error);
      if (rethrow) throw error;
    }
  }

  /** Writes a cooldown; a later stored one is applied here. Throws only when `rethrow`. */
  async #writeCooldown(model: string, untilMs: number, rethrow = false): Promise<void> {
    try {
      const storedMs = await writeCooldown(this.#context, model, untilMs, this.#options.clock.now());
      if (this.#unsentCooldowns.get(model) === untilMs) this.#unsentCooldowns.delete(model);
      if (storedMs !== undefined)
        this.#listeners.emit({ type: 'cooldown', model, untilMs: storedMs, instanceId: 'stored' });
    } catch (error) {
      this.#down(error);
      if (rethrow) throw error;
    }
  }

  /** Every `flushIntervalMs`: counters out and back in; a sync when Redis came back from a timeout. */
  async #tick(): Promise<void> {
    if (this.#ticking || this.#closed) return;
    this.#ticking = true;
    try {
      if (this.#health.connected) await this.#flush();
      else {
        this.#book.drain();
        if (this.#cmd.status === 'ready' && this.#subscribed) await this.#sync();
      }
    } catch (error) {
      this.#down(error);
    } finally {
      this.#ticking = false;
    }
  }

  /** This instance's counts out, the others' totals back in. */
  async #flush(): Promise<void> {
    const adds = this.#book.drain();
    const totals = await flushCounters(this.#context, adds, this.#book.wanted(), this.#options.clock.now());
    for (const [key, total] of totals) this.#book.setOthers(key, total);
  }

  #down(error: unknown): void {
    if (this.#closed) return;
    if (this.#health.down(error instanceof Error ? error.message : String(error))) this.#book.clearOthers();
  }
}
