export { createLedgerRecorder, ledgerSettings } from './create-ledger.js';
export { formatReport, REPORT_FORMATS, type ReportFormat } from './format.js';
export { registerLedgerMetrics } from './ledger-metrics.js';
export { readReport } from './read-report.js';
export { LedgerRecorder, type LedgerRecorderOptions, LedgerUnavailableError } from './recorder.js';
export { type Baseline, buildReport, type ReportOptions } from './report.js';
export {
  DEFAULT_SINCE,
  parseBaseline,
  parseReportRequest,
  parseSince,
  ReportOptionError,
  type ReportRequest,
} from './report-options.js';
export type * from './report-types.js';
export type * from './rows.js';
export { LedgerNotFoundError, type SqliteLedgerOptions, SqliteLedgerStore } from './sqlite-store.js';
export type { LedgerStore } from './store.js';
