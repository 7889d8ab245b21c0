import type { Report } from './report-types.js';
import { type Fact, reportView, type ViewTable } from './report-view.js';

/** The layouts a report prints in. */
export const REPORT_FORMATS = ['table', 'markdown', 'json'] as const;
/** `table`, `markdown` or `json`. */
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** The report as text: `table` for a terminal, `markdown` for a post-mortem, `json` for other tools. */
export function formatReport(report: Report, format: ReportFormat): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(report, null, 2)}\n`;
    case 'markdown':
      return markdown(report);
    default:
      return terminal(report);
  }
}

function terminal(report: Report): string {
  const view = reportView(report);
  const labelWidth = Math.max(...view.groups.flat().map((f) => f.label.length));
  const valueWidth = Math.max(...view.groups.flat().map((f) => f.value.length));
  const lines = [view.title, ''];
  for (const group of view.groups) {
    for (const fact of group) {
      const value = fact.value === '' ? '' : fact.value.padStart(valueWidth);
      const line = `${fact.label.padEnd(labelWidth)}  ${value.padEnd(valueWidth)}  ${fact.note ?? ''}`;
      lines.push(line.trimEnd());
    }
    lines.push('');
  }
  for (const table of view.tables) {
    if (table.rows.length === 0) continue;
    lines.push(table.title, ...alignedTable(table), '');
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

function alignedTable(table: ViewTable): string[] {
  const widths = table.headers.map((h, i) =>
    Math.max(h.length, ...table.rows.map((r) => (r[i] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => (table.numeric[i] ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(table.headers), line(widths.map((w) => '-'.repeat(w))), ...table.rows.map(line)];
}

function markdown(report: Report): string {
  const view = reportView(report);
  const lines = [`## ${view.title}`, '', '| | Value | Detail |', '| --- | ---: | --- |'];
  for (const fact of view.groups.flat()) lines.push(factRow(fact));
  lines.push('');
  for (const table of view.tables) {
    if (table.rows.length === 0) continue;
    lines.push(`### ${table.title}`, '', row(table.headers));
    lines.push(row(table.numeric.map((n) => (n ? '---:' : '---'))));
    for (const r of table.rows) lines.push(row(r));
    lines.push('');
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

function factRow(fact: Fact): string {
  return row([`**${fact.label}**`, fact.value, fact.note ?? '']);
}

function row(cells: readonly string[]): string {
  return `| ${cells.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`;
}
