// The fallback report's headline figures for the last hour / day / 30 days, from GET /report.
import { errorMessage, get } from './api.js';
import { el, percent, usd } from './dom.js';

const PERIODS = [
  ['1h', 'Last hour'],
  ['24h', 'Last day'],
  ['30d', 'Last 30 days'],
];

function query(since, baseline, format = 'json') {
  const q = new URLSearchParams({ since, format });
  if (baseline) q.set('baseline', baseline);
  return `/report?${q}`;
}

const ROWS = [
  ['Requests', (r) => String(r.requests)],
  ['Answered', (r) => `${r.answered} (${percent(r.success_rate, 1)})`],
  ['Rescued by fallback/retry', (r) => String(r.rescued)],
  ['Upstream failures caught', (r) => String(r.upstream_failures_caught)],
  ['Errors users saw', (r) => String(r.errors.total)],
  [
    'Latency p50 / p99',
    (r) => (r.latency_ms ? `${Math.round(r.latency_ms.p50)} / ${Math.round(r.latency_ms.p99)} ms` : '–'),
  ],
  ['Breaker trips', (r) => String(r.breaker_trips.total)],
  ['Cost', (r) => usd(r.cost_usd.total)],
  [
    'Saving vs baseline',
    (r) =>
      r.baseline
        ? `${usd(r.baseline.saving_usd)}${r.baseline.saving_percent === null ? '' : ` (${r.baseline.saving_percent} %)`} vs ${r.baseline.model}`
        : '–',
  ],
];

/** Fetches the three periods and draws the table; "ledger off" when the gateway keeps none. */
export async function renderReport(container, { ledgerOn, baseline }) {
  if (!ledgerOn) {
    container.replaceChildren(
      el(
        'p',
        { class: 'notice', 'data-ledger': 'off' },
        'Ledger off: this gateway records no usage, so there is no report. Set ledger: { path: ./switchboard.db } to keep one.',
      ),
    );
    return;
  }
  const reports = await Promise.all(
    PERIODS.map(async ([since]) => {
      const res = await get(query(since, baseline));
      if (!res.ok) throw new Error(await errorMessage(res));
      return res.json();
    }),
  );
  container.replaceChildren(
    el(
      'div',
      { class: 'table-wrap' },
      el(
        'table',
        { class: 'report-table', 'data-ledger': 'on' },
        el(
          'caption',
          {},
          baseline ? `Headline figures; baseline: everything on ${baseline}` : 'Headline figures',
        ),
        el(
          'thead',
          {},
          el(
            'tr',
            {},
            el('th', { scope: 'col' }, 'Figure'),
            ...PERIODS.map(([, label]) => el('th', { scope: 'col' }, label)),
          ),
        ),
        el(
          'tbody',
          {},
          ...ROWS.map(([label, cell]) =>
            el('tr', {}, el('th', { scope: 'row' }, label), ...reports.map((r) => el('td', {}, cell(r)))),
          ),
        ),
      ),
    ),
  );
}

/** The 30-day markdown report, fetched with the key (a link cannot carry the header). */
export async function fetchMarkdown(baseline) {
  const res = await get(query('30d', baseline, 'markdown'));
  if (!res.ok) throw new Error(await errorMessage(res));
  return res.text();
}
