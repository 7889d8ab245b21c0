import type { ModelConfig } from '../config/types.js';
import { REPORT_FORMATS, type ReportFormat } from './format.js';
import type { Baseline, ReportOptions } from './report.js';

/** A report option (`since`, `baseline`, `format`) that cannot be understood. The message says why. */
export class ReportOptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReportOptionError';
  }
}

const UNIT_MS: Readonly<Record<string, number>> = {
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 7 * 86_400_000,
};

/** The default period of a report. */
export const DEFAULT_SINCE = '30d';

/**
 * The start of a period, epoch ms: a duration back from `nowMs` (`90m`, `12h`, `30d`, `2w`) or a date
 * (`2025-06-01`, `2025-06-01T12:00:00Z`). The period must be longer than 0, start no earlier than
 * 1970-01-01 (the ledger's clock) and not after `nowMs`; a date must exist (no 2026-02-30).
 */
export function parseSince(text: string, nowMs: number): number {
  const trimmed = text.trim();
  const shown = trimmed.length > 40 ? `${trimmed.slice(0, 40)}…` : trimmed;
  const duration = /^(\d+(?:\.\d+)?)\s*([mhdw])$/i.exec(trimmed);
  if (duration) {
    const ms = Number(duration[1]) * UNIT_MS[duration[2]!.toLowerCase()]!;
    if (!(ms > 0))
      throw new ReportOptionError(`since "${shown}" is an empty period: give a duration longer than 0`);
    return startOfPeriod(nowMs - ms, shown, nowMs);
  }
  const day = /^(\d{4})-(\d{2})-(\d{2})/.exec(trimmed);
  if (day) {
    const [year, month, date] = [Number(day[1]), Number(day[2]), Number(day[3])];
    const ms = Date.parse(trimmed);
    const exists =
      new Date(Date.UTC(year, month - 1, date)).getUTCDate() === date && month >= 1 && month <= 12;
    if (Number.isFinite(ms) && exists) return startOfPeriod(ms, shown, nowMs);
  }
  throw new ReportOptionError(
    `cannot read since "${shown}": use a duration such as 90m, 12h, 30d or 2w, or a date such as 2025-06-01`,
  );
}

/** A period's start within what the ledger can hold: from 1970-01-01 to now. */
function startOfPeriod(ms: number, shown: string, nowMs: number): number {
  if (!Number.isFinite(ms) || ms < 0) {
    throw new ReportOptionError(
      `since "${shown}" reaches back before 1970-01-01: give a shorter period or a later date`,
    );
  }
  if (ms > nowMs) throw new ReportOptionError(`since is in the future: "${shown}"`);
  return ms;
}

/**
 * A baseline to compare costs with: a configured model with a price (`gpt-4o`), or any name with a
 * price in USD per 1M input/output tokens (`gpt-4o=2.5/10`).
 */
export function parseBaseline(
  spec: string,
  models: Readonly<Record<string, Pick<ModelConfig, 'price'>>> = {},
): Baseline {
  const text = spec.trim();
  const priced = /^([^=]+)=\s*([\d.]+)\s*\/\s*([\d.]+)$/.exec(text);
  if (priced) {
    const input = Number(priced[2]);
    const output = Number(priced[3]);
    if (!Number.isFinite(input) || !Number.isFinite(output)) {
      throw new ReportOptionError(`cannot read the baseline price in "${text}": write MODEL=INPUT/OUTPUT`);
    }
    return { model: priced[1]!.trim(), price: { inputUsdPer1M: input, outputUsdPer1M: output } };
  }
  const price = Object.hasOwn(models, text) ? models[text]?.price : undefined;
  if (text === '' || text.includes('=') || price === undefined) {
    const known = Object.entries(models)
      .filter(([, m]) => m.price !== undefined)
      .map(([id]) => id);
    const hint = known.length > 0 ? ` (models with a price: ${known.join(', ')})` : '';
    throw new ReportOptionError(
      `baseline "${text}" is not a configured model with a price${hint}; give a price in USD per 1M input/output tokens, e.g. ${text.split('=')[0] || 'gpt-4o'}=2.5/10`,
    );
  }
  return { model: text, price };
}

/** A report as asked for on the command line or in `GET /report`'s query string (all optional). */
export interface ReportRequest {
  since?: string;
  route?: string;
  baseline?: string;
  format?: string;
}

/** Reads a report request: the period ends at `nowMs`; `models` price a baseline named by model. */
export function parseReportRequest(
  request: ReportRequest,
  nowMs: number,
  models: Readonly<Record<string, Pick<ModelConfig, 'price'>>> = {},
): { options: ReportOptions; format: ReportFormat } {
  const format = (request.format ?? 'table') as ReportFormat;
  if (!REPORT_FORMATS.includes(format)) {
    throw new ReportOptionError(`format must be one of ${REPORT_FORMATS.join(', ')}, not "${format}"`);
  }
  const sinceMs = parseSince(request.since ?? DEFAULT_SINCE, nowMs);
  const options: ReportOptions = { sinceMs, untilMs: nowMs };
  if (request.route !== undefined && request.route !== '') options.route = request.route;
  if (request.baseline !== undefined && request.baseline !== '') {
    options.baseline = parseBaseline(request.baseline, models);
  }
  return { options, format };
}
