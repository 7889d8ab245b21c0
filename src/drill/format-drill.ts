import { type DrillTable, summaryLines, tablesOf } from './drill-view.js';
import type { DrillReport } from './types.js';

/** The layouts a drill prints in. */
export const DRILL_FORMATS = ['table', 'markdown', 'json'] as const;
export type DrillFormat = (typeof DRILL_FORMATS)[number];

/** The drill as text: `table` for a terminal, `markdown` for a review, `json` for tools. Findings first. */
export function formatDrill(report: DrillReport, format: DrillFormat): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(report, null, 2)}\n`;
    case 'markdown':
      return markdown(report);
    default:
      return terminal(report);
  }
}

const plain = (text: string) => text.replaceAll('`', '');

function terminal(report: DrillReport): string {
  const lines = ['Switchboard drill', '', 'Findings'];
  if (report.findings.length === 0) lines.push('  none: every route survived every scenario');
  for (const f of report.findings) lines.push(`  ${f.severity === 'warn' ? '!' : '·'} ${plain(f.text)}`);
  lines.push('', ...summaryLines(report).map(plain), '');
  for (const table of tablesOf(report)) lines.push(table.title, ...aligned(table), '');
  lines.push(LEGEND);
  return `${lines.join('\n').trimEnd()}\n`;
}

function aligned(table: DrillTable): string[] {
  const widths = table.headers.map((h, i) =>
    Math.max(h.length, ...table.rows.map((r) => (r[i] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => (table.numeric[i] ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(table.headers), line(widths.map((w) => '-'.repeat(w))), ...table.rows.map(line)];
}

function markdown(report: DrillReport): string {
  const lines = ['## Switchboard drill', '', '### Findings', ''];
  if (report.findings.length === 0) lines.push('None: every route survived every scenario.');
  for (const f of report.findings) lines.push(`- ${f.severity === 'warn' ? '**risk**' : 'note'}: ${f.text}`);
  lines.push('', ...summaryLines(report).map((l) => `${l}  `), '');
  for (const table of tablesOf(report)) {
    lines.push(`### ${table.title}`, '', row(table.headers));
    lines.push(row(table.numeric.map((n) => (n ? '---:' : '---'))));
    for (const r of table.rows) lines.push(row(r));
    lines.push('');
  }
  lines.push(`_${LEGEND}_`);
  return `${lines.join('\n').trimEnd()}\n`;
}

function row(cells: readonly string[]): string {
  return `| ${cells.map((c) => c.replaceAll('|', '\\|')).join(' | ')} |`;
}

const LEGEND =
  'Times are simulated. ×N compares with the baseline. "skipped after": from the fault to the first request that skipped a broken model; "back after": from the end of the fault to the first answer from a broken model again.';
