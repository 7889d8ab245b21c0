import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { attempt, cooldown, failed, request, trip } from '../../test/support/ledger-rows.js';
import { SCHEMA_VERSION } from './migrations.js';
import { LedgerNotFoundError, SqliteLedgerStore } from './sqlite-store.js';

const open: SqliteLedgerStore[] = [];
afterEach(async () => {
  for (const store of open.splice(0)) await store.close();
});

function tempPath(name = 'ledger.db'): string {
  return join(mkdtempSync(join(tmpdir(), 'switchboard-ledger-')), name);
}

function openStore(path: string, options: Parameters<typeof SqliteLedgerStore.open>[1] = {}) {
  const store = SqliteLedgerStore.open(path, options);
  open.push(store);
  return store;
}

const ALL = { sinceMs: 0, untilMs: Number.MAX_SAFE_INTEGER };

describe('SqliteLedgerStore', () => {
  it('round-trips every kind of row, each kind in time order', async () => {
    const store = openStore(tempPath());
    const answered = request([failed('a'), attempt('b')], {
      atMs: 2_000,
      timeToFirstTokenMs: 42.5,
      costUsd: 0.000123,
      wastedCostUsd: 0.00001,
      breakerChanged: true,
      retries: 1,
      hedges: 1,
      recoveries: 1,
    });
    const refused = request([failed('a', 400)], {
      atMs: 1_000,
      outcome: 'upstream_client_error',
      route: null,
    });
    await store.append([answered, trip('a', 1_500), refused, cooldown('b', refused.requestId, 1_200)]);
    const rows = await store.query(ALL);
    expect(rows.requests).toEqual([refused, answered]);
    expect(rows.breakers).toEqual([trip('a', 1_500)]);
    expect(rows.cooldowns).toEqual([cooldown('b', refused.requestId, 1_200)]);
  });

  it('reads a period [since, until) and one route', async () => {
    const store = openStore(tempPath());
    const rows = [1_000, 2_000, 3_000].map((atMs) => request([attempt('a')], { atMs }));
    const other = request([attempt('a')], { atMs: 2_000, route: 'other' });
    await store.append([...rows, other, trip('a', 999), trip('a', 3_000)]);
    const period = await store.query({ sinceMs: 1_000, untilMs: 3_000 });
    expect(period.requests.map((r) => r.requestId)).toEqual(
      [rows[0], rows[1], other].map((r) => r?.requestId),
    );
    expect(period.breakers).toEqual([]);
    const routed = await store.query({ sinceMs: 0, untilMs: 10_000, route: 'other' });
    expect(routed.requests).toEqual([other]);
  });

  it('prunes rows older than a time, and says how many went', async () => {
    const store = openStore(tempPath());
    await store.append([
      request([attempt('a')], { atMs: 1_000 }),
      request([attempt('a')], { atMs: 5_000 }),
      trip('a', 1_000),
      cooldown('a', 'x', 4_999),
      cooldown('a', 'y', 5_000),
    ]);
    expect(await store.prune(5_000)).toBe(3);
    const rows = await store.query(ALL);
    expect(rows.requests.map((r) => r.atMs)).toEqual([5_000]);
    expect(rows.breakers).toEqual([]);
    expect(rows.cooldowns.map((c) => c.requestId)).toEqual(['y']);
    expect(await store.prune(5_000)).toBe(0);
  });

  it('keeps its rows across reopening, and records its schema version', async () => {
    const path = tempPath();
    const first = SqliteLedgerStore.open(path);
    await first.append([request([attempt('a')])]);
    await first.close();
    const again = openStore(path, { create: false });
    expect((await again.query(ALL)).requests).toHaveLength(1);
    const db = new Database(path, { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    db.close();
  });

  it('creates the missing directory, but not a file it was told must exist', () => {
    const dir = mkdtempSync(join(tmpdir(), 'switchboard-ledger-'));
    expect(() => openStore(join(dir, 'nested/deeper/ledger.db'))).not.toThrow();
    expect(() => SqliteLedgerStore.open(join(dir, 'absent.db'), { create: false })).toThrow(
      LedgerNotFoundError,
    );
  });

  it('refuses a file from a newer schema, and a file that is not a database', () => {
    const newer = tempPath();
    const db = new Database(newer);
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    expect(() => SqliteLedgerStore.open(newer)).toThrow(
      new RegExp(`schema version ${SCHEMA_VERSION + 1}, newer than this Switchboard knows`),
    );
    const garbage = tempPath();
    writeFileSync(garbage, 'not a database, just text that is long enough to have a header '.repeat(10));
    expect(() => SqliteLedgerStore.open(garbage)).toThrow();
  });

  it('writes a batch all or none', async () => {
    const store = openStore(tempPath());
    const bad = { ...request([attempt('a')]), outcome: null as unknown as string };
    await expect(store.append([request([attempt('a')]), bad])).rejects.toThrow();
    expect((await store.query(ALL)).requests).toEqual([]);
  });
});
