import type { LedgerQuery, LedgerRow, LedgerRows } from './rows.js';

/**
 * Where ledger rows live. Narrow on purpose: the embedded SQLite file implements it today, a server
 * database shared by many gateway instances can implement it later. Methods may be slow (disk,
 * network): the recorder calls them off the request path.
 */
export interface LedgerStore {
  /** Writes rows, all or none. Rejects when they could not be written. */
  append(rows: readonly LedgerRow[]): Promise<void>;
  /** Rows of a period, each kind in time order. */
  query(query: LedgerQuery): Promise<LedgerRows>;
  /** Deletes every row older than `beforeMs` (epoch ms); resolves with how many went. */
  prune(beforeMs: number): Promise<number>;
  close(): Promise<void>;
}
