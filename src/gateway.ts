import type { Server } from 'node:http';
import { systemClock } from './common/clock.js';
import { registerLedgerMetrics } from './ledger/index.js';
import { createDashboard } from './server/dashboard/dashboard-routes.js';
import type { EventStreamOptions } from './server/dashboard/event-stream.js';
import { apiEndpoints } from './server/endpoints/api-endpoints.js';
import { opsEndpoints } from './server/endpoints/ops-endpoints.js';
import type { Endpoint } from './server/endpoints/types.js';
import { createFrontDoor } from './server/front-door.js';
import { createNodeServer } from './server/node/node-server.js';
import { registerStateMetrics } from './server/state-status.js';
import {
  createSwitchboard,
  logUnexpected,
  type Switchboard,
  type SwitchboardOptions,
} from './switchboard.js';
import { GatewayMetrics } from './telemetry/metrics.js';
import { ModelStats } from './telemetry/model-stats.js';
import { registerTracingMetrics } from './telemetry/tracing/index.js';

export interface GatewayOptions extends SwitchboardOptions {
  /** Overrides `server.host` / `server.port` from the config (port 0 = any free port). */
  host?: string;
  port?: number;
  /** Bounds of `GET /events` (buffered bytes per subscriber, subscribers, heartbeat). */
  events?: EventStreamOptions;
}

export interface Gateway {
  /** e.g. http://127.0.0.1:8787 */
  url: string;
  switchboard: Switchboard;
  /** The listening Node HTTP server. */
  server: Server;
  /**
   * Stops accepting connections, lets in-flight requests finish for up to `graceMs`, then closes
   * what is left and the upstream pools, and writes and closes the ledger.
   */
  close(graceMs?: number): Promise<void>;
}

const DEFAULT_GRACE_MS = 10_000; // 10s for in-flight requests on shutdown

/** Starts the OpenAI-compatible gateway over a config file path or a YAML-shaped config object. */
export async function startGateway(
  configOrPath: string | object,
  options: GatewayOptions = {},
): Promise<Gateway> {
  const switchboard = createSwitchboard(configOrPath, options);
  const { config, health } = switchboard;
  const clock = options.clock ?? systemClock;
  const metrics = new GatewayMetrics(config, health);
  if (switchboard.ledger) registerLedgerMetrics(metrics.registry, switchboard.ledger);
  registerStateMetrics(metrics.registry, switchboard.sharedState);
  if (switchboard.tracing) registerTracingMetrics(metrics.registry, switchboard.tracing);
  const stats = new ModelStats(config, health, clock);
  const dashboard = createDashboard({
    config,
    events: switchboard.events,
    sharedState: switchboard.sharedState,
    ledgerOn: switchboard.ledger !== undefined,
    stats,
    registry: metrics.registry,
    clock,
    ...(options.events ? { eventStream: options.events } : {}),
  });
  const detach = [metrics.attach(switchboard.events), stats.attach(switchboard.events), dashboard.close];
  const endpoints: Endpoint[] = [
    ...apiEndpoints({
      config,
      service: switchboard,
      createdS: Math.floor(clock.now() / 1000),
      observer: metrics,
    }),
    ...opsEndpoints({
      metrics,
      stats,
      sharedState: switchboard.sharedState,
      ledger: switchboard.ledger,
      models: config.models,
      clock,
    }),
    ...dashboard.endpoints,
  ];
  const face = createNodeServer(
    createFrontDoor(endpoints, {
      apiKeys: config.server.apiKeys,
      onUnexpected: (error, request) => logUnexpected(switchboard.logger, error, request),
    }),
  );
  const server = face.server;
  // A new instance starts with what the others know (waits at most ~1 s for Redis; never fails).
  await switchboard.sharedState.ready();
  const host = options.host ?? config.server.host;
  const port = options.port ?? config.server.port;
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    for (const d of detach) d();
    await switchboard.close();
    throw error;
  }
  const address = server.address();
  const boundPort = typeof address === 'object' && address ? address.port : port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${boundPort}`;
  let closing: Promise<void> | undefined;
  return {
    url,
    switchboard,
    server,
    close(graceMs = DEFAULT_GRACE_MS) {
      closing ??= (async () => {
        dashboard.close(); // event streams never end by themselves
        // At the end of the grace, streams still flowing get a `shutdown` error event, then the rest is cut.
        const timer = setTimeout(() => {
          void face.endStreams().finally(() => server.closeAllConnections());
        }, graceMs);
        // Keep-alive connections whose last response just ended go now, not at their idle timeout.
        const sweeper = setInterval(() => server.closeIdleConnections(), 50);
        try {
          await new Promise<void>((resolve) => server.close(() => resolve()));
        } finally {
          clearTimeout(timer);
          clearInterval(sweeper);
          for (const d of detach) d();
          await switchboard.close();
        }
      })();
      return closing;
    },
  };
}
