import type { Clock } from '../common/clock.js';
import type { ModelConfig } from '../config/types.js';
import {
  formatReport,
  type LedgerRecorder,
  LedgerUnavailableError,
  parseReportRequest,
  type ReportFormat,
  ReportOptionError,
  readReport,
} from '../ledger/index.js';
import { GatewayError, invalidRequest } from './wire/gateway-error.js';

const CONTENT_TYPES: Readonly<Record<ReportFormat, string>> = {
  json: 'application/json; charset=utf-8',
  markdown: 'text/markdown; charset=utf-8',
  table: 'text/plain; charset=utf-8',
};

/** A body and its content type, for any HTTP layer to send with status 200. */
export interface ReportResponse {
  contentType: string;
  body: string;
}

/**
 * `GET /report?since=30d&route=R&baseline=MODEL[=IN/OUT]&format=json|markdown|table`: the fallback
 * report of `switchboard report`, from this gateway's ledger (JSON by default). Throws a GatewayError
 * (404 when the ledger is off, 400 for a bad option, 503 when the ledger cannot be read).
 */
export async function reportResponse(
  source: { ledger: LedgerRecorder | undefined; models: Readonly<Record<string, ModelConfig>>; clock: Clock },
  query: URLSearchParams,
): Promise<ReportResponse> {
  const { ledger, clock } = source;
  if (ledger === undefined) {
    throw new GatewayError(
      404,
      'invalid_request_error',
      'ledger_off',
      'The ledger is off, so there is nothing to report. Set `ledger: { path: ./switchboard.db }` in the config.',
    );
  }
  const text = (key: string) => query.get(key) ?? undefined;
  let parsed: ReturnType<typeof parseReportRequest>;
  try {
    const request = { since: text('since'), route: text('route'), baseline: text('baseline') };
    parsed = parseReportRequest({ ...request, format: text('format') ?? 'json' }, clock.now(), source.models);
  } catch (error) {
    if (error instanceof ReportOptionError)
      throw invalidRequest(error.message, null, 'invalid_report_option');
    throw error;
  }
  try {
    const report = await readReport(ledger, parsed.options);
    const body = parsed.format === 'json' ? JSON.stringify(report) : formatReport(report, parsed.format);
    return { contentType: CONTENT_TYPES[parsed.format], body };
  } catch (error) {
    if (error instanceof LedgerUnavailableError) {
      throw new GatewayError(503, 'api_error', 'ledger_unavailable', error.message);
    }
    throw error;
  }
}
