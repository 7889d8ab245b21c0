import { ConfigError, DEFAULTS, loadConfigFile } from '../config/index.js';
import type { ModelConfig } from '../config/types.js';
import {
  formatReport,
  LedgerNotFoundError,
  parseReportRequest,
  ReportOptionError,
  readReport,
  SqliteLedgerStore,
} from '../ledger/index.js';

export interface ReportCommandOptions {
  config?: string;
  ledger?: string;
  since?: string;
  route?: string;
  format?: string;
  baseline?: string;
}

/**
 * `switchboard report`: the fallback report of a period, from a ledger file. The file is `--ledger`,
 * else the config's `ledger.path`, else ./switchboard.db. The config also prices a `--baseline` model.
 */
export async function runReport(options: ReportCommandOptions): Promise<void> {
  try {
    let models: Readonly<Record<string, ModelConfig>> = {};
    let path = options.ledger ?? DEFAULTS.ledger.path;
    if (options.config !== undefined) {
      const config = loadConfigFile(options.config);
      models = config.models;
      if (options.ledger === undefined) {
        if (config.ledger === 'off')
          fail(`${options.config} sets \`ledger: off\`: there is no ledger to report on.`);
        path = config.ledger?.path ?? path;
      }
    }
    const { options: reportOptions, format } = parseReportRequest(
      { since: options.since, route: options.route, baseline: options.baseline, format: options.format },
      Date.now(),
      models,
    );
    const store = SqliteLedgerStore.open(path, { create: false });
    try {
      process.stdout.write(formatReport(await readReport(store, reportOptions), format));
    } finally {
      await store.close();
    }
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message);
    if (error instanceof ReportOptionError) fail(`switchboard report: ${error.message}`);
    if (error instanceof LedgerNotFoundError) {
      fail(
        `No ledger at ${error.path}. The gateway writes one while it runs (switchboard serve); point at it with --ledger FILE or --config FILE.`,
      );
    }
    const e = error as { code?: string; message?: string };
    if (typeof e.code === 'string' && e.code.startsWith('SQLITE_'))
      fail(`cannot read the ledger: ${e.message}`);
    throw error;
  }
}

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}
