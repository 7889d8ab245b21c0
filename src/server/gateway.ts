import type { FastifyInstance } from 'fastify';
import { systemClock } from '../common/clock.js';
import { createSwitchboard, type Switchboard, type SwitchboardOptions } from '../switchboard.js';
import { GatewayMetrics } from '../telemetry/metrics.js';
import { ModelStats } from '../telemetry/model-stats.js';
import { buildApp } from './app.js';

export interface GatewayOptions extends SwitchboardOptions {
  /** Overrides `server.host` / `server.port` from the config (port 0 = any free port). */
  host?: string;
  port?: number;
}

export interface Gateway {
  /** e.g. http://127.0.0.1:8787 */
  url: string;
  switchboard: Switchboard;
  app: FastifyInstance;
  /**
   * Stops accepting connections, lets in-flight requests finish for up to `graceMs`, then closes
   * what is left and the upstream pools.
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
  const metrics = new GatewayMetrics(config, health);
  const stats = new ModelStats(config, health, options.clock ?? systemClock);
  const detach = [metrics.attach(switchboard.events), stats.attach(switchboard.events)];
  const app = buildApp({ switchboard, metrics, stats });
  const host = options.host ?? config.server.host;
  const port = options.port ?? config.server.port;
  try {
    await app.listen({ host, port });
  } catch (error) {
    await switchboard.close();
    throw error;
  }
  const address = app.server.address();
  const boundPort = typeof address === 'object' && address ? address.port : port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${boundPort}`;
  let closing: Promise<void> | undefined;
  return {
    url,
    switchboard,
    app,
    close(graceMs = DEFAULT_GRACE_MS) {
      closing ??= (async () => {
        const timer = setTimeout(() => app.server.closeAllConnections(), graceMs);
        // Keep-alive connections whose last response just ended go now, not at their idle timeout.
        const sweeper = setInterval(() => app.server.closeIdleConnections(), 50);
        try {
          await app.close();
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
