import { Counter, type Registry } from 'prom-client';
import { METRIC_PREFIX } from '../metric-set.js';

/**
 * Registers `switchboard_trace_spans_dropped_total` on a gateway's registry: spans the exporter could
 * not deliver or the queue could not hold, read at scrape time (requests were served regardless).
 */
export function registerTracingMetrics(registry: Registry, tracing: { readonly droppedSpans: number }): void {
  let reported = 0;
  new Counter({
    name: `${METRIC_PREFIX}trace_spans_dropped_total`,
    help: 'Trace spans dropped because the collector was unreachable or refused them, or the export queue was full.',
    registers: [registry],
    collect() {
      const dropped = tracing.droppedSpans;
      if (dropped > reported) {
        this.inc(dropped - reported);
        reported = dropped;
      }
    },
  });
}
