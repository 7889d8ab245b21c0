import type { Server } from 'node:http';
import { systemClock } from '../common/clock.js';
import { registerLedgerMetrics } from '../ledger/index.js';
import { createSwitchboard, type Switchboard, type SwitchboardOptions } from '../switchboard.js';
import { GatewayMetrics } from '../telemetry/metrics.js';
import { ModelStats } from '../telemetry/model-stats.js';
import { dashboardRoutes } from './dashboard-routes.js';
import type { EventStreamOptions } from './event-stream.js';
import { buildApp } from './http-app.js';
import { reportResponse } from './report-route.js';
import { registerStateMetrics } from './state-status.js';

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
  const stats = new ModelStats(config, health, clock);
  const dashboard = dashboardRoutes({
    switchboard,
    stats,
    registry: metrics.registry,
    clock,
    events: options.events,
  });
  const detach = [metrics.attach(switchboard.events), stats.attach(switchboard.events), dashboard.close];
  const server = buildApp({
    switchboard,
    metrics,
    stats,
    publicGets: dashboard.publicGets,
    extraGets: {
      ...dashboard.extraGets,
      '/report': async (_req, res, query) => {
        const { contentType, body } = await reportResponse(switchboard, clock, query);
        res.writeHead(200, {
          'content-type': contentType,
          'content-length': String(Buffer.byteLength(body)),
        });
        res.end(body);
      },
    },
  });
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
        const timer = setTimeout(() => server.closeAllConnections(), graceMs);
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
