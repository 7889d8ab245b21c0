import type Database from 'better-sqlite3';

/**
 * The ledger's schema, as numbered migrations. Migration N brings a file from version N-1 to N, and
 * `PRAGMA user_version` holds the version a file is at. Append new migrations; never edit old ones.
 */
export const MIGRATIONS: readonly string[] = [
  // 1: requests, breaker transitions and rate-limit cooldowns.
  `
  CREATE TABLE requests (
    id INTEGER PRIMARY KEY,
    at_ms INTEGER NOT NULL,
    request_id TEXT NOT NULL,
    route TEXT,
    model TEXT,
    provider TEXT,
    outcome TEXT NOT NULL,
    attempts TEXT NOT NULL,
    attempt_count INTEGER NOT NULL,
    failed_attempts INTEGER NOT NULL,
    fallbacks INTEGER NOT NULL,
    retries INTEGER NOT NULL,
    hedges INTEGER NOT NULL,
    recoveries INTEGER NOT NULL,
    latency_ms REAL NOT NULL,
    ttft_ms REAL,
    prompt_tokens INTEGER NOT NULL,
    completion_tokens INTEGER NOT NULL,
    cost_usd REAL NOT NULL,
    wasted_cost_usd REAL NOT NULL,
    breaker_changed INTEGER NOT NULL
  );
  CREATE INDEX requests_at ON requests (at_ms);
  CREATE INDEX requests_route_at ON requests (route, at_ms);
  CREATE TABLE model_events (
    id INTEGER PRIMARY KEY,
    at_ms INTEGER NOT NULL,
    kind TEXT NOT NULL,
    model TEXT NOT NULL,
    request_id TEXT,
    from_state TEXT,
    to_state TEXT,
    cooldown_ms REAL,
    until_ms INTEGER,
    retry_after_ms REAL,
    reason TEXT
  );
  CREATE INDEX model_events_at ON model_events (at_ms);
  `,
  // 2: what a request asked for: `chat` (every row before this version) or `embeddings`.
  `
  ALTER TABLE requests ADD COLUMN operation TEXT NOT NULL DEFAULT 'chat';
  `,
];

/** The schema version this build writes. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/**
 * Brings `db` to {@link SCHEMA_VERSION} in one IMMEDIATE transaction: the version is read under the
 * write lock, so processes opening a new file at once (`serve --workers N`) migrate it once, the others
 * waiting on the lock and then finding it done. Refuses a file written by a newer Switchboard rather
 * than guess at its tables.
 */
export function migrate(db: Database.Database): void {
  const run = db.transaction(() => {
    const current = db.pragma('user_version', { simple: true }) as number;
    if (current > SCHEMA_VERSION) {
      throw new Error(
        `the ledger file is at schema version ${current}, newer than this Switchboard knows (${SCHEMA_VERSION}); upgrade Switchboard to read it`,
      );
    }
    for (let version = current + 1; version <= SCHEMA_VERSION; version++) {
      db.exec(MIGRATIONS[version - 1]!);
      db.pragma(`user_version = ${version}`);
    }
  });
  run.immediate();
}
