import { Counter, type Registry } from 'prom-client';
import { METRIC_PREFIX } from '../telemetry/metric-set.js';
import type { LedgerRecorder } from './recorder.js';

/**
 * Registers `switchboard_ledger_dropped_records_total` on a gateway's registry: records the ledger
 * could not write (unwritable file, full disk), read from the recorder at scrape time.
 */
export function registerLedgerMetrics(
  registry: Registry,
  recorder: Pick<LedgerRecorder, 'droppedRecords'>,
): void {
  let reported = 0;
  new Counter({
    name: `${METRIC_PREFIX}ledger_dropped_records_total`,
    help: 'Ledger records dropped because the ledger could not be written (requests were still served).',
    registers: [registry],
    collect() {
      const dropped = recorder.droppedRecords;
      if (dropped > reported) {
        this.inc(dropped - reported);
        reported = dropped;
      }
    },
  });
}
