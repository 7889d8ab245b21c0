import { buildReport, type ReportOptions } from './report.js';
import type { Report } from './report-types.js';
import type { LedgerStore } from './store.js';

/** Reads the rows of the period from a store (or a recorder) and summarises them. */
export async function readReport(
  source: Pick<LedgerStore, 'query'>,
  options: ReportOptions,
): Promise<Report> {
  const query = { sinceMs: options.sinceMs, untilMs: options.untilMs };
  const rows = await source.query(options.route === undefined ? query : { ...query, route: options.route });
  return buildReport(rows, options);
}
