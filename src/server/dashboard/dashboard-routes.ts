import type { Registry } from 'prom-client';
import type { Clock } from '../../common/clock.js';
import type { SwitchboardConfig } from '../../config/types.js';
import type { EventBus, SharedState } from '../../routing/index.js';
import { BreakerOrigins } from '../../telemetry/breaker-origins.js';
import { LiveSeries, type LiveSeriesOptions } from '../../telemetry/live-series.js';
import type { ModelStats } from '../../telemetry/model-stats.js';
import { configSecrets } from '../../telemetry/redact.js';
import { RouteView } from '../../telemetry/route-view.js';
import type { Endpoint } from '../endpoints/types.js';
import { SSE_HEADERS } from '../wire/sse-frames.js';
import { DASHBOARD_SECURITY_HEADERS, dashboardAssetEndpoints } from './dashboard-assets.js';
import { dashboardData } from './dashboard-data.js';
import { EventHub, type EventStreamOptions } from './event-stream.js';

export interface DashboardDeps {
  config: SwitchboardConfig;
  events: Pick<EventBus, 'on'>;
  sharedState: SharedState;
  ledgerOn: boolean;
  stats: ModelStats;
  registry: Registry;
  clock: Clock;
  eventStream?: EventStreamOptions;
  series?: LiveSeriesOptions;
}

export interface Dashboard {
  /** The shell (public: page, script, styles, no data), `/dashboard/data` and `/events` (behind the key). */
  endpoints: Endpoint[];
  /** Ends the event streams and unsubscribes everything. */
  close(): void;
}

/** The dashboard's endpoints and the telemetry they read, for one gateway. */
export function createDashboard(deps: DashboardDeps): Dashboard {
  const { config, clock } = deps;
  const series = new LiveSeries(Object.keys(config.models), clock, deps.series);
  const routes = new RouteView(clock);
  const origins = new BreakerOrigins(deps.sharedState.status().instanceId, clock);
  const chains = Object.fromEntries(Object.entries(config.routes).map(([id, r]) => [id, r.models]));
  const hub = new EventHub(
    { bus: deps.events, clock, secrets: configSecrets(config), routes: chains, registry: deps.registry },
    deps.eventStream,
  );
  const detach = [
    series.attach(deps.events),
    routes.attach(deps.events),
    origins.attach(deps.events, deps.sharedState),
  ];
  const data: Endpoint = {
    method: 'GET',
    path: '/dashboard/data',
    handle: () => ({
      kind: 'json',
      status: 200,
      headers: { ...DASHBOARD_SECURITY_HEADERS },
      body: dashboardData({
        config,
        stats: deps.stats,
        series,
        routes,
        origins,
        sharedState: deps.sharedState,
        ledgerOn: deps.ledgerOn,
        clock,
      }),
    }),
  };
  const events: Endpoint = {
    method: 'GET',
    path: '/events',
    handle(request) {
      const subscription = hub.subscribe(new URLSearchParams(request.query));
      const headers = {
        ...SSE_HEADERS,
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        'x-accel-buffering': 'no',
        'x-content-type-options': 'nosniff',
      };
      if (request.method === 'HEAD') {
        subscription.end();
        return { kind: 'text', status: 200, headers, contentType: headers['content-type'], body: '' };
      }
      return {
        kind: 'sse',
        status: 200,
        headers,
        frames: subscription.frames,
        cancel: subscription.end,
        shutdown: subscription.end,
      };
    },
  };
  return {
    endpoints: [...dashboardAssetEndpoints(), data, events],
    close() {
      hub.close();
      for (const d of detach) d();
    },
  };
}
