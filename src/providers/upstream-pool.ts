import type { Pool } from 'undici';
// undici's index loads all of undici (fetch, WebSocket, caches, mock agents, proxies): 4.3 MB of live
// heap, where its Pool alone takes 1.5 MB (`node bench/import-cost.js`). The adapters only ever
// `dispatch` and `destroy`, which Pool has without the rest. See undici-pool.d.ts.
import UndiciPool from 'undici/lib/dispatcher/pool.js';

/** How an adapter connects to its upstream; every wire takes the same options. */
export interface UpstreamPoolOptions {
  /** Keep-alive connections in the provider's pool. */
  maxConnections?: number;
  connectTimeoutMs?: number;
  /**
   * undici's own header and body timers, ms; 0 (the default) leaves them off. The engine ends every
   * call it makes with its own deadlines (first byte, stall, attempt, total: always set), so these
   * are for a provider used without the engine. Off, they cost nothing: on, undici swaps them for
   * its keep-alive timer after every answer, and each swap leaves a timer object in its timer list
   * for up to a second, long enough to outlive the young generation (~50 of the ~120 bytes a stream
   * promoted at 32 connections; bench/README.md).
   */
  socketTimeoutMs?: number;
}

const DEFAULTS = {
  maxConnections: 64,
  connectTimeoutMs: 5_000, // 5s
  socketTimeoutMs: 0, // off: the engine's deadlines end every call
  keepAliveTimeoutMs: 30_000, // 30s
} as const;

/**
 * One pooled keep-alive undici pool to an upstream's origin, and the socket timeout its requests
 * pass as `headersTimeout` / `bodyTimeout` (0: none): the same for every wire's adapter.
 */
export function createUpstreamPool(
  origin: string,
  options: UpstreamPoolOptions,
): { pool: Pool; socketTimeoutMs: number } {
  const pool = new UndiciPool(origin, {
    connections: options.maxConnections ?? DEFAULTS.maxConnections,
    keepAliveTimeout: DEFAULTS.keepAliveTimeoutMs,
    connect: { timeout: options.connectTimeoutMs ?? DEFAULTS.connectTimeoutMs },
  });
  return { pool, socketTimeoutMs: options.socketTimeoutMs ?? DEFAULTS.socketTimeoutMs };
}
