import type { Clock } from '../../common/clock.js';
import type { ModelConfig } from '../../config/types.js';
import type { LedgerRecorder } from '../../ledger/index.js';
import type { SharedState } from '../../routing/index.js';
import type { GatewayMetrics } from '../../telemetry/metrics.js';
import type { ModelStats } from '../../telemetry/model-stats.js';
import { reportResponse } from '../report-route.js';
import { stateStatusBody } from '../state-status.js';
import type { Endpoint } from './types.js';

export interface OpsDeps {
  metrics: GatewayMetrics;
  stats: ModelStats;
  sharedState: SharedState;
  ledger: LedgerRecorder | undefined;
  models: Readonly<Record<string, ModelConfig>>;
  clock: Clock;
}

/** The gateway's operational endpoints: health (no key), status, metrics and the fallback report. */
export function opsEndpoints(deps: OpsDeps): Endpoint[] {
  return [
    {
      method: 'GET',
      path: '/healthz',
      auth: false,
      handle: () => ({ kind: 'json', status: 200, body: { status: 'ok' } }),
    },
    {
      method: 'GET',
      path: '/status',
      handle: () => ({
        kind: 'json',
        status: 200,
        body: { ...deps.stats.snapshot(), state: stateStatusBody(deps.sharedState) },
      }),
    },
    {
      method: 'GET',
      path: '/metrics',
      async handle() {
        const { contentType, body } = await deps.metrics.render();
        return { kind: 'text', status: 200, contentType, body };
      },
    },
    {
      method: 'GET',
      path: '/report',
      async handle(request) {
        const { contentType, body } = await reportResponse(deps, new URLSearchParams(request.query));
        return { kind: 'text', status: 200, contentType, body };
      },
    },
  ];
}
