import type { Clock } from '../../common/clock.js';
import type { SwitchboardConfig } from '../../config/types.js';
import type { BreakerState } from '../../resilience/circuit-breaker.js';
import type { SharedState } from '../../routing/index.js';
import type { BreakerOrigins, ClusterView } from '../../telemetry/breaker-origins.js';
import type { LiveSeries, ModelSeries } from '../../telemetry/live-series.js';
import type { ModelStats } from '../../telemetry/model-stats.js';
import type { RouteLast, RouteView } from '../../telemetry/route-view.js';
import { type StateStatusBody, stateStatusBody } from '../state-status.js';

/** One model's tile. Times are ms since the epoch; no provider message bodies. */
export interface DashboardModel {
  provider: string;
  breaker: {
    state: BreakerState;
    failures_in_window: number;
    cooldown_ms: number;
    /** When an open breaker admits its probe; null unless open. */
    reopen_at_ms: number | null;
  };
  /** End of a rate-limit cooldown; null when none. */
  cooling_down_until_ms: number | null;
  /** The last failure: status and class only. */
  last_error: { at_ms: number; status: number | null; error: string } | null;
  series: ModelSeries;
}

export interface DashboardRoute {
  chain: string[];
  strategy: string;
  default: boolean;
  hedged: boolean;
  /** The route's latest finished request; null before the first. */
  last: RouteLast | null;
}

/** The body of `GET /dashboard/data`. */
export interface DashboardData {
  /** The gateway's clock, so the page counts down against it rather than its own. */
  now_ms: number;
  /** Where shared state lives, and which instance answered. */
  state: StateStatusBody;
  /** With shared state (Redis, `--workers`): who opened and closed each breaker. Null alone. */
  cluster: ClusterView | null;
  models: Record<string, DashboardModel>;
  routes: Record<string, DashboardRoute>;
  ledger: {
    on: boolean;
    /** The model the report compares costs with: the priced model with the highest output price. */
    baseline: string | null;
  };
}

export interface DashboardDataDeps {
  config: SwitchboardConfig;
  stats: ModelStats;
  series: LiveSeries;
  routes: RouteView;
  origins: BreakerOrigins;
  sharedState: SharedState;
  ledgerOn: boolean;
  clock: Clock;
}

/** Everything the dashboard draws, as of now. */
export function dashboardData(deps: DashboardDataDeps): DashboardData {
  const { config } = deps;
  const status = deps.stats.snapshot();
  const models: Record<string, DashboardModel> = {};
  for (const [id, m] of Object.entries(status.models)) {
    const series = deps.series.snapshot(id);
    if (!series) continue;
    models[id] = {
      provider: m.provider,
      breaker: {
        state: m.breaker.state,
        failures_in_window: m.breaker.failures_in_window,
        cooldown_ms: m.breaker.cooldown_ms,
        reopen_at_ms: toMs(m.breaker.reopen_at),
      },
      cooling_down_until_ms: toMs(m.cooling_down_until),
      last_error: m.last_error && {
        at_ms: Date.parse(m.last_error.at),
        status: m.last_error.status,
        error: m.last_error.error,
      },
      series,
    };
  }
  const lastByRoute = deps.routes.snapshot();
  const routes: Record<string, DashboardRoute> = {};
  for (const [id, route] of Object.entries(config.routes)) {
    routes[id] = {
      chain: [...route.models],
      strategy: route.strategy,
      default: config.defaultRoute === id,
      hedged: route.hedge !== undefined,
      last: lastByRoute[id] ?? null,
    };
  }
  const state = stateStatusBody(deps.sharedState);
  return {
    now_ms: deps.clock.now(),
    state,
    cluster: state.store === 'memory' ? null : deps.origins.snapshot(),
    models,
    routes,
    ledger: { on: deps.ledgerOn, baseline: baselineModel(config) },
  };
}

/** The priced model with the highest output price (then input price): "had it all gone to the premium model". */
export function baselineModel(config: Pick<SwitchboardConfig, 'models'>): string | null {
  let best: { id: string; output: number; input: number } | undefined;
  for (const [id, m] of Object.entries(config.models)) {
    if (!m.price) continue;
    const { outputUsdPer1M: output, inputUsdPer1M: input } = m.price;
    if (!best || output > best.output || (output === best.output && input > best.input))
      best = { id, output, input };
  }
  return best?.id ?? null;
}

function toMs(iso: string | null): number | null {
  if (iso === null) return null;
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? ms : null;
}
