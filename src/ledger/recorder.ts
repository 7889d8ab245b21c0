import type { Clock } from '../common/clock.js';
import type { EventBus, SwitchboardEvent } from '../routing/index.js';
import type { Logger } from '../telemetry/logger.js';
import type { LedgerQuery, LedgerRows } from './rows.js';
import type { LedgerStore } from './store.js';
import { type CapturedEvent, RecentTransitions, toRows } from './to-rows.js';
import { messageOf, WriteFailures } from './write-failures.js';

/** Options for {@link LedgerRecorder}. */
export interface LedgerRecorderOptions {
  /** Opens the store: at once, then (while it fails) again at most every `reopenIntervalMs`. */
  open: () => LedgerStore | Promise<LedgerStore>;
  /** Timestamps rows and sets the retention cutoff. */
  clock: Clock;
  /** Rows older than this many days are pruned: when the store opens, then every `pruneIntervalMs`. */
  retentionDays: number;
  /** Where failures are reported (once per episode, not per request); false or absent: nowhere. */
  logger?: Logger | false;
  /** Names the store in logs (e.g. the file path). */
  location?: string;
  /** Pending rows are written at least this often, ms (default 1000). */
  flushIntervalMs?: number;
  /** A write starts at once (next turn of the event loop) when this many rows wait (default 500). */
  maxBatchRows?: number;
  /** Beyond this many waiting rows, new ones are dropped (and counted) (default 100000). */
  maxPendingRows?: number;
  /** Default 1 h. */
  pruneIntervalMs?: number;
  /** Default 30 s. */
  reopenIntervalMs?: number;
}

const DEFAULTS = {
  flushIntervalMs: 1_000, // 1s
  maxBatchRows: 500,
  maxPendingRows: 100_000,
  pruneIntervalMs: 60 * 60 * 1_000, // 1h
  reopenIntervalMs: 30_000, // 30s
} as const;

const DAY_MS = 24 * 60 * 60 * 1_000;

/** The ledger's store could not be opened: the rows asked for cannot be read. */
export class LedgerUnavailableError extends Error {
  constructor(location: string, cause: unknown) {
    super(`the ledger ${location} cannot be opened: ${messageOf(cause)}`, { cause });
    this.name = 'LedgerUnavailableError';
  }
}

/**
 * Records requests, breaker transitions and rate-limit cooldowns from the engine's events into a
 * {@link LedgerStore}, off the request path: the listener only appends the event to an in-memory
 * queue; rows are built and written in one batch per `flushIntervalMs` (or per `maxBatchRows`) on a
 * timer. Writing never fails a request: when the store cannot be opened or written, the rows are
 * dropped and counted (`droppedRecords`), the failure is logged once, and recording resumes by itself
 * when the store works again.
 *
 * Rows are built from the events' metadata at write time; the engine no longer changes a request's
 * metadata once its `request.succeeded` / `request.failed` event is out.
 */
export class LedgerRecorder {
  readonly #open: LedgerRecorderOptions['open'];
  readonly #clock: Clock;
  readonly #retentionMs: number;
  readonly #logger: Logger | undefined;
  readonly #location: string;
  readonly #flushIntervalMs: number;
  readonly #maxBatchRows: number;
  readonly #maxPendingRows: number;
  readonly #reopenIntervalMs: number;
  readonly #transitions = new RecentTransitions();
  readonly #failures: WriteFailures;

  #pending: CapturedEvent[] = [];
  #store: LedgerStore | undefined;
  #openError: unknown;
  #lastOpenAttempt = Number.NEGATIVE_INFINITY;
  #timer: NodeJS.Timeout | undefined;
  #immediate: NodeJS.Immediate | undefined;
  readonly #pruneTimer: NodeJS.Timeout;
  /** Writes, prunes, queries and close run one at a time, in order. */
  #queue: Promise<unknown> = Promise.resolve();
  #closing: Promise<void> | undefined;

  constructor(options: LedgerRecorderOptions) {
    this.#open = options.open;
    this.#clock = options.clock;
    this.#retentionMs = options.retentionDays * DAY_MS;
    this.#logger = options.logger || undefined;
    this.#location = options.location ?? 'store';
    this.#flushIntervalMs = options.flushIntervalMs ?? DEFAULTS.flushIntervalMs;
    this.#maxBatchRows = options.maxBatchRows ?? DEFAULTS.maxBatchRows;
    this.#maxPendingRows = options.maxPendingRows ?? DEFAULTS.maxPendingRows;
    this.#reopenIntervalMs = options.reopenIntervalMs ?? DEFAULTS.reopenIntervalMs;
    this.#failures = new WriteFailures(this.#logger, this.#location);
    void this.#serial(() => this.#pruneNow());
    this.#pruneTimer = setInterval(
      () => void this.prune(),
      options.pruneIntervalMs ?? DEFAULTS.pruneIntervalMs,
    );
    this.#pruneTimer.unref();
  }

  /** Records the bus's events; returns the unsubscribe function. */
  attach(bus: Pick<EventBus, 'on'>): () => void {
    return bus.on(this.#listener);
  }

  /** Rows dropped because the store could not take them, since start. */
  get droppedRecords(): number {
    return this.#failures.dropped;
  }

  /** Writes every waiting row now. Never rejects (a failed write is dropped, counted and logged). */
  flush(): Promise<void> {
    return this.#serial(() => this.#write());
  }

  /** Deletes rows older than the retention period now; resolves with how many went. */
  prune(): Promise<number> {
    return this.#serial(() => this.#pruneNow());
  }

  /** Rows of a period, waiting rows included. Rejects with LedgerUnavailableError when the store is down. */
  query(query: LedgerQuery): Promise<LedgerRows> {
    return this.#serial(async () => {
      await this.#write();
      const store = await this.#ensureStore();
      if (store === undefined) throw new LedgerUnavailableError(this.#location, this.#openError);
      return store.query(query);
    });
  }

  /** Stops recording, writes what waits and closes the store. Idempotent. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      clearInterval(this.#pruneTimer);
      await this.#serial(async () => {
        await this.#write();
        await this.#store?.close();
        this.#store = undefined;
      });
    })();
    return this.#closing;
  }

  readonly #listener = (event: SwitchboardEvent): void => {
    switch (event.type) {
      case 'request.succeeded':
      case 'request.failed':
      case 'breaker.transition':
      case 'model.cooling_down':
        this.#capture({ atMs: this.#clock.now(), event });
        return;
      default:
        return;
    }
  };

  #capture(captured: CapturedEvent): void {
    if (this.#closing !== undefined) return;
    if (this.#pending.length >= this.#maxPendingRows) {
      this.#failures.drop(1, new Error(`more than ${this.#maxPendingRows} rows are waiting to be written`));
      return;
    }
    this.#pending.push(captured);
    if (this.#pending.length >= this.#maxBatchRows) {
      this.#immediate ??= setImmediate(() => void this.flush());
    } else if (this.#timer === undefined) {
      this.#timer = setTimeout(() => void this.flush(), this.#flushIntervalMs);
      this.#timer.unref();
    }
  }

  #serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(task, task);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #write(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#immediate !== undefined) clearImmediate(this.#immediate);
    this.#immediate = undefined;
    const batch = this.#pending;
    if (batch.length === 0) return;
    this.#pending = [];
    try {
      const rows = toRows(batch, this.#transitions);
      const store = await this.#ensureStore();
      if (store === undefined) {
        this.#failures.drop(rows.length, this.#openError);
        return;
      }
      await store.append(rows);
      this.#failures.recovered();
    } catch (error) {
      this.#failures.drop(batch.length, error);
    }
  }

  async #pruneNow(): Promise<number> {
    const store = await this.#ensureStore();
    if (store === undefined) return 0;
    try {
      const pruned = await store.prune(this.#clock.now() - this.#retentionMs);
      if (pruned > 0) this.#logger?.info({ ledger: this.#location, pruned }, 'ledger: pruned old rows');
      return pruned;
    } catch (error) {
      this.#logger?.warn({ ledger: this.#location, err: error }, 'ledger: pruning old rows failed');
      return 0;
    }
  }

  async #ensureStore(): Promise<LedgerStore | undefined> {
    if (this.#store !== undefined) return this.#store;
    const now = performance.now();
    if (now - this.#lastOpenAttempt < this.#reopenIntervalMs) return undefined;
    this.#lastOpenAttempt = now;
    try {
      this.#store = await this.#open();
      this.#openError = undefined;
      return this.#store;
    } catch (error) {
      this.#openError = error;
      this.#failures.fail(error);
      return undefined;
    }
  }
}
