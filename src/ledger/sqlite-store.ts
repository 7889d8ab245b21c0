import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type Database from 'better-sqlite3';
import { lazyRequire } from '../common/lazy-require.js';
import { migrate } from './migrations.js';
import type { BreakerRow, CooldownRow, LedgerQuery, LedgerRow, LedgerRows } from './rows.js';
import {
  breakerRow,
  cooldownRow,
  type EventRecord,
  eventParams,
  type RequestRecord,
  requestFromRecord,
  requestParams,
} from './sqlite-records.js';
import type { LedgerStore } from './store.js';

const loadSqlite = lazyRequire<typeof Database>('better-sqlite3');

/** Options for {@link SqliteLedgerStore.open}. */
export interface SqliteLedgerOptions {
  /** Create the file (and its directory) when missing (default true). False: a missing file is an error. */
  create?: boolean;
  /** How long a write waits for another process's lock, ms (default 2000). */
  busyTimeoutMs?: number;
}

/** The ledger file does not exist (and was not to be created). */
export class LedgerNotFoundError extends Error {
  constructor(readonly path: string) {
    super(`no ledger at ${path}`);
    this.name = 'LedgerNotFoundError';
  }
}

const INSERT_REQUEST = `INSERT INTO requests (at_ms, request_id, route, model, provider, outcome, attempts,
  attempt_count, failed_attempts, fallbacks, retries, hedges, recoveries, latency_ms, ttft_ms, prompt_tokens,
  completion_tokens, cost_usd, wasted_cost_usd, breaker_changed, operation)
  VALUES (@atMs, @requestId, @route, @model, @provider, @outcome, @attempts, @attemptCount, @failedAttempts,
  @fallbacks, @retries, @hedges, @recoveries, @latencyMs, @timeToFirstTokenMs, @promptTokens,
  @completionTokens, @costUsd, @wastedCostUsd, @breakerChanged, @operation)`;
const INSERT_EVENT = `INSERT INTO model_events (at_ms, kind, model, request_id, from_state, to_state,
  cooldown_ms, until_ms, retry_after_ms, reason)
  VALUES (@atMs, @kind, @model, @requestId, @from, @to, @cooldownMs, @untilMs, @retryAfterMs, @reason)`;
const SELECT_REQUESTS = 'SELECT * FROM requests WHERE at_ms >= ? AND at_ms < ? ORDER BY at_ms, id';
const SELECT_ROUTE_REQUESTS =
  'SELECT * FROM requests WHERE route = ? AND at_ms >= ? AND at_ms < ? ORDER BY at_ms, id';
const SELECT_EVENTS = 'SELECT * FROM model_events WHERE at_ms >= ? AND at_ms < ? ORDER BY at_ms, id';

/**
 * The embedded ledger: a SQLite file (WAL mode, so `switchboard report` reads while the gateway
 * writes) through better-sqlite3. Its calls are synchronous underneath; each `append` is one
 * transaction.
 */
export class SqliteLedgerStore implements LedgerStore {
  readonly path: string;
  readonly #db: Database.Database;
  readonly #insertRequest: Database.Statement;
  readonly #insertEvent: Database.Statement;
  readonly #appendAll: (rows: readonly LedgerRow[]) => void;

  private constructor(path: string, db: Database.Database) {
    this.path = path;
    this.#db = db;
    this.#insertRequest = db.prepare(INSERT_REQUEST);
    this.#insertEvent = db.prepare(INSERT_EVENT);
    this.#appendAll = db.transaction((rows: readonly LedgerRow[]) => {
      for (const row of rows) {
        if (row.kind === 'request') this.#insertRequest.run(requestParams(row));
        else this.#insertEvent.run(eventParams(row));
      }
    });
  }

  /** Opens (or creates) the file at `path` and brings its schema up to date. Throws when it cannot. */
  static open(path: string, options: SqliteLedgerOptions = {}): SqliteLedgerStore {
    const create = options.create ?? true;
    if (path !== ':memory:') {
      if (!create && !existsSync(path)) throw new LedgerNotFoundError(path);
      if (create) mkdirSync(dirname(path), { recursive: true });
    }
    const db = new (loadSqlite())(path, { fileMustExist: !create });
    try {
      db.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? 2_000))}`);
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      migrate(db);
      return new SqliteLedgerStore(path, db);
    } catch (error) {
      db.close();
      throw error;
    }
  }

  async append(rows: readonly LedgerRow[]): Promise<void> {
    if (rows.length > 0) this.#appendAll(rows);
  }

  async query(query: LedgerQuery): Promise<LedgerRows> {
    const requests = (
      query.route === undefined
        ? this.#db.prepare(SELECT_REQUESTS).all(query.sinceMs, query.untilMs)
        : this.#db.prepare(SELECT_ROUTE_REQUESTS).all(query.route, query.sinceMs, query.untilMs)
    ) as RequestRecord[];
    const events = this.#db.prepare(SELECT_EVENTS).all(query.sinceMs, query.untilMs) as EventRecord[];
    const breakers: BreakerRow[] = [];
    const cooldowns: CooldownRow[] = [];
    for (const e of events) {
      if (e.kind === 'breaker') breakers.push(breakerRow(e));
      else if (e.kind === 'cooldown') cooldowns.push(cooldownRow(e));
    }
    return { requests: requests.map(requestFromRecord), breakers, cooldowns };
  }

  async prune(beforeMs: number): Promise<number> {
    const prune = this.#db.transaction(
      () =>
        this.#db.prepare('DELETE FROM requests WHERE at_ms < ?').run(beforeMs).changes +
        this.#db.prepare('DELETE FROM model_events WHERE at_ms < ?').run(beforeMs).changes,
    );
    return prune();
  }

  async close(): Promise<void> {
    if (this.#db.open) this.#db.close();
  }
}
