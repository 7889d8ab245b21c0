import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Registry } from 'prom-client';
import type { Clock } from '../common/clock.js';
import type { Switchboard } from '../switchboard.js';
import { BreakerOrigins } from '../telemetry/breaker-origins.js';
import { LiveSeries, type LiveSeriesOptions } from '../telemetry/live-series.js';
import type { ModelStats } from '../telemetry/model-stats.js';
import { configSecrets } from '../telemetry/redact.js';
import { RouteView } from '../telemetry/route-view.js';
import { DASHBOARD_SECURITY_HEADERS, dashboardAssetRoutes } from './dashboard-assets.js';
import { dashboardData } from './dashboard-data.js';
import { EventHub, type EventStreamOptions } from './event-stream.js';
import { sendJson } from './http-io.js';

type Get = (req: IncomingMessage, res: ServerResponse, query: URLSearchParams) => Promise<void> | void;

export interface DashboardRoutesOptions {
  switchboard: Switchboard;
  stats: ModelStats;
  registry: Registry;
  clock: Clock;
  events?: EventStreamOptions;
  series?: LiveSeriesOptions;
}

export interface DashboardRoutes {
  /** The shell: page, script, styles; no data, no key needed. */
  publicGets: Record<string, Get>;
  /** Behind the key: `/dashboard/data` and `/events`. */
  extraGets: Record<string, Get>;
  /** Ends the event streams and unsubscribes everything. */
  close(): void;
}

/** The dashboard's routes and the telemetry they read, for one gateway. */
export function dashboardRoutes(options: DashboardRoutesOptions): DashboardRoutes {
  const { switchboard: sb, clock } = options;
  const config = sb.config;
  const series = new LiveSeries(Object.keys(config.models), clock, options.series);
  const routes = new RouteView(clock);
  const origins = new BreakerOrigins(sb.sharedState.status().instanceId, clock);
  const chains = Object.fromEntries(Object.entries(config.routes).map(([id, r]) => [id, r.models]));
  const hub = new EventHub(
    { bus: sb.events, clock, secrets: configSecrets(config), routes: chains, registry: options.registry },
    options.events,
  );
  const detach = [
    series.attach(sb.events),
    routes.attach(sb.events),
    origins.attach(sb.events, sb.sharedState),
  ];
  return {
    publicGets: dashboardAssetRoutes(),
    extraGets: {
      '/dashboard/data': (_req, res) =>
        sendJson(
          res,
          200,
          dashboardData({
            config,
            stats: options.stats,
            series,
            routes,
            origins,
            sharedState: sb.sharedState,
            ledgerOn: sb.ledger !== undefined,
            clock,
          }),
          { ...DASHBOARD_SECURITY_HEADERS },
        ),
      '/events': (req, res, query) => hub.handle(req, res, query),
    },
    close() {
      hub.close();
      for (const d of detach) d();
    },
  };
}
