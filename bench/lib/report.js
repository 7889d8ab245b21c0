/**
 * The bench's output: the tables for the terminal, the same as markdown, and the JSON result
 * (`latest.json`, `latest.md`, and a timestamped copy of each under the results directory).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { recoveryLines } from './recovery.js';
import { verdictOf } from './targets.js';

/** @param {number | null | undefined} n */
const finite = (n) => typeof n === 'number' && Number.isFinite(n);

/** req/s, thousands separated. @param {number | null | undefined} n */
export const fmtRps = (n) =>
  finite(n) ? Math.round(/** @type {number} */ (n)).toLocaleString('en-US') : 'n/a';

/** Milliseconds: µs precision below 10 ms. @param {number | null | undefined} n */
export const fmtMs = (n) => {
  if (!finite(n)) return 'n/a';
  const v = /** @type {number} */ (n);
  return Math.abs(v) < 10 ? v.toFixed(3) : v.toFixed(1);
};

/** A signed difference in ms. @param {number | null | undefined} n */
const fmtDelta = (n) => (finite(n) ? `${/** @type {number} */ (n) >= 0 ? '+' : ''}${fmtMs(n)}` : 'n/a');

/** @param {number | null | undefined} n */
const fmtRatio = (n) => (finite(n) ? `${/** @type {number} */ (n).toFixed(2)}×` : 'n/a');

/** @param {number | null | undefined} n */
const fmtUsd = (n) => {
  if (!finite(n)) return 'n/a';
  const v = /** @type {number} */ (n);
  return v === 0 ? '0' : v >= 0.01 ? v.toFixed(4) : v.toPrecision(3);
};

/** @param {number | null | undefined} n */
const fmtMb = (n) => (finite(n) ? /** @type {number} */ (n).toFixed(1) : 'n/a');

/**
 * @param {string[]} headers
 * @param {string[][]} rows
 * @param {Array<'l' | 'r'>} align
 */
export function textTable(headers, rows, align) {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  /** @param {string[]} cells */
  const line = (cells) =>
    cells
      .map((c, i) => (align[i] === 'r' ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(headers), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/**
 * @param {string[]} headers
 * @param {string[][]} rows
 * @param {Array<'l' | 'r'>} align
 */
export function markdownTable(headers, rows, align) {
  /** @param {string} c */
  const esc = (c) => c.replaceAll('|', '\\|');
  return [
    `| ${headers.map(esc).join(' | ')} |`,
    `| ${align.map((a) => (a === 'r' ? '---:' : ':---')).join(' | ')} |`,
    ...rows.map((r) => `| ${r.map(esc).join(' | ')} |`),
  ].join('\n');
}

/** @param {boolean | null | undefined} pass */
const mark = (pass) => (pass === true ? 'PASS' : pass === false ? 'FAIL' : pass === null ? '?' : '—');

const OVERHEAD_HEADERS = [
  'metric',
  'direct',
  'gateway',
  'gateway − direct',
  'floor (no logic)',
  'target',
  'verdict',
  'measured by',
];
const OVERHEAD_ALIGN = /** @type {Array<'l' | 'r'>} */ (['l', 'r', 'r', 'r', 'r', 'l', 'l', 'l']);

/** @param {any} overhead */
function overheadRows(overhead) {
  return overhead.rows.map((/** @type {any} */ r) => {
    const fmt =
      r.unit === 'rps' || r.unit === 'us'
        ? fmtRps
        : r.unit === 'MB' || r.unit === 'pct'
          ? fmtMb
          : r.unit === 'count'
            ? String
            : fmtMs;
    /** @param {number | null} v */
    const cell = (v) => (v === null || v === undefined ? '—' : fmt(v));
    /** How a figure compares with direct: a ratio for req/s, a difference (and ratio) for ms. */
    const versus = (/** @type {number} */ delta, /** @type {number} */ ratio) => {
      if (r.direct === null || r.direct === undefined) return '';
      if (r.unit === 'rps') return fmtRatio(ratio);
      if (r.unit === 'ms') return `${fmtDelta(delta)}${finite(ratio) ? ` (${fmtRatio(ratio)})` : ''}`;
      return '';
    };
    const floorVersus = versus(r.floorDelta, r.floorRatio).replace(' (', ', ').replace(/\)$/, '');
    const floor =
      r.floor === null || r.floor === undefined
        ? '—'
        : `${cell(r.floor)}${floorVersus ? ` (${floorVersus})` : ''}`;
    return [
      r.metric,
      cell(r.direct),
      cell(r.gateway),
      versus(r.delta, r.ratio),
      floor,
      r.target ?? '—',
      mark(r.verdict),
      r.tool,
    ];
  });
}

const FAULT_HEADERS = [
  'scenario',
  'fault',
  'req/s',
  'vs base',
  'p50 ms',
  'p99 ms',
  'errors',
  '→primary',
  '→secondary',
  '→tertiary',
  'cost $',
  '$/1k req',
  'RSS MB',
  'gw CPU%',
  'req/s/core',
  'verdict',
];
const FAULT_ALIGN = /** @type {Array<'l' | 'r'>} */ ([
  'l',
  'l',
  'r',
  'r',
  'r',
  'r',
  'r',
  'r',
  'r',
  'r',
  'r',
  'r',
  'r',
  'r',
  'r',
  'l',
]);

/** @param {any} faults */
function faultRows(faults) {
  return faults.scenarios.map((/** @type {any} */ s) => {
    if (s.status !== 'ran') {
      return [s.label, s.fault, 'n/a', '', '', '', '', '', '', '', '', '', '', '', '', 'n/a (see note)'];
    }
    const u = s.upstreams;
    return [
      s.label,
      s.fault + (s.stream ? ' (stream)' : ''),
      fmtRps(s.rps),
      s.baseline ? 'base' : fmtRatio(s.vsBaseline),
      fmtMs(s.p50Ms),
      fmtMs(s.p99Ms),
      String(s.errors.total),
      String(u.primary ?? 'n/a'),
      String(u.secondary ?? 'n/a'),
      String(u.tertiary ?? 'n/a'),
      fmtUsd(s.costUsd),
      fmtUsd(s.costPer1kUsd),
      fmtMb(s.peakRssMb),
      fmtMb(s.cpu?.gatewayPct),
      fmtRps(s.rpsPerCore),
      verdictOf(s.checks),
    ];
  });
}

/** @param {any} result */
function checkLines(result) {
  return result.checks.map(
    (/** @type {any} */ c) => `[${mark(c.pass)}] ${c.scope}: ${c.target} (measured: ${c.measured})`,
  );
}

/** @param {any} result */
function summaryLine(result) {
  const pass = result.checks.filter((/** @type {any} */ c) => c.pass === true).length;
  const fail = result.checks.filter((/** @type {any} */ c) => c.pass === false).length;
  const unknown = result.checks.length - pass - fail;
  return `${pass} of ${result.checks.length} checks pass, ${fail} fail${unknown ? `, ${unknown} could not be judged` : ''}.`;
}

/**
 * The report for the terminal.
 * @param {any} result
 */
export function renderText(result) {
  const out = [`Switchboard bench (${result.mode}) — ${result.startedAt}, ${result.environment.summary}`, ''];
  if (result.overhead) {
    out.push(`Overhead — ${result.overhead.title}`, '');
    out.push(textTable(OVERHEAD_HEADERS, overheadRows(result.overhead), OVERHEAD_ALIGN), '');
  }
  if (result.faults) {
    out.push(`Under faults — ${result.faults.title}`, '');
    out.push(textTable(FAULT_HEADERS, faultRows(result.faults), FAULT_ALIGN), '');
  }
  if (result.recovery) out.push('Outage and heal', '', ...recoveryLines(result.recovery), '');
  out.push('Notes:', ...result.notes.map((/** @type {string} */ n) => `  - ${n}`), '');
  out.push('Checks:', ...checkLines(result).map((/** @type {string} */ l) => `  ${l}`), '');
  out.push(summaryLine(result));
  return out.join('\n');
}

/**
 * The same report as markdown.
 * @param {any} result
 */
export function renderMarkdown(result) {
  const out = [
    `# Switchboard bench (${result.mode})`,
    '',
    `${result.startedAt} — ${result.environment.summary}`,
    '',
  ];
  if (result.overhead) {
    out.push(`## Overhead`, '', result.overhead.title, '');
    out.push(markdownTable(OVERHEAD_HEADERS, overheadRows(result.overhead), OVERHEAD_ALIGN), '');
  }
  if (result.faults) {
    out.push(`## Under faults`, '', result.faults.title, '');
    out.push(markdownTable(FAULT_HEADERS, faultRows(result.faults), FAULT_ALIGN), '');
  }
  if (result.recovery)
    out.push('## Outage and heal', '', ...recoveryLines(result.recovery).map((l) => `- ${l.trim()}`), '');

  out.push('## Notes', '', ...result.notes.map((/** @type {string} */ n) => `- ${n}`), '');
  out.push('## Checks', '', ...checkLines(result).map((/** @type {string} */ l) => `- ${l}`), '');
  out.push(summaryLine(result), '');
  return out.join('\n');
}

/**
 * Writes latest.json / latest.md and a timestamped copy of each; returns the paths.
 * @param {any} result
 * @param {string} dir
 */
export function writeResults(result, dir) {
  mkdirSync(dir, { recursive: true });
  const stamp = result.startedAt.replace(/[:.]/g, '-').replace(/-\d{3}Z$/, 'Z');
  const json = `${JSON.stringify(result, null, 2)}\n`;
  const md = renderMarkdown(result);
  const paths = [
    join(dir, 'latest.json'),
    join(dir, 'latest.md'),
    join(dir, `bench-${stamp}.json`),
    join(dir, `bench-${stamp}.md`),
  ];
  writeFileSync(/** @type {string} */ (paths[0]), json);
  writeFileSync(/** @type {string} */ (paths[1]), md);
  writeFileSync(/** @type {string} */ (paths[2]), json);
  writeFileSync(/** @type {string} */ (paths[3]), md);
  return paths;
}
