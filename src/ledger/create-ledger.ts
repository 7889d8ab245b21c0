import type { Clock } from '../common/clock.js';
import { DEFAULTS } from '../config/defaults.js';
import type { LedgerConfig, SwitchboardConfig } from '../config/types.js';
import type { Logger } from '../telemetry/logger.js';
import { LedgerRecorder } from './recorder.js';
import { SqliteLedgerStore } from './sqlite-store.js';

/**
 * The ledger a config asks for: its `ledger` section; with no `ledger` key, one at `defaultPath` when
 * given (the gateway CLI passes ./switchboard.db), else none. `ledger: off` is always none.
 */
export function ledgerSettings(
  ledger: SwitchboardConfig['ledger'],
  defaultPath?: string,
): LedgerConfig | undefined {
  if (ledger === 'off') return undefined;
  if (ledger !== undefined) return ledger;
  return defaultPath === undefined ? undefined : { ...DEFAULTS.ledger, path: defaultPath };
}

/** A recorder writing to the SQLite file of `settings`. Never throws: an unopenable file is logged. */
export function createLedgerRecorder(
  settings: LedgerConfig,
  deps: { clock: Clock; logger?: Logger | false },
): LedgerRecorder {
  return new LedgerRecorder({
    open: () => SqliteLedgerStore.open(settings.path),
    clock: deps.clock,
    retentionDays: settings.retentionDays,
    logger: deps.logger,
    location: settings.path,
  });
}
