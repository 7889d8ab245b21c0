import type { Counts, LatencySummary, Report, TtftSummary } from './report-types.js';

/** One line of the summary: a label, its value, and an optional note. */
export interface Fact {
  label: string;
  value: string;
  note?: string;
}

/** A table: every row as wide as `headers`; `numeric` columns are right-aligned. */
export interface ViewTable {
  title: string;
  headers: string[];
  numeric: boolean[];
  rows: string[][];
}

/** What a report shows, as text, before it is laid out for a terminal or as markdown. */
export interface ReportView {
  title: string;
  /** Groups of facts, shown with space between them. */
  groups: Fact[][];
  tables: ViewTable[];
}

/** Decides the wording and number formats of a report; the layouts only arrange them. */
export function reportView(report: Report): ReportView {
  const { period } = report;
  const scope = period.route === null ? 'all routes' : `route ${period.route}`;
  const title = `Switchboard report: ${shortDate(period.since)} → ${shortDate(period.until)} UTC, ${scope}`;
  const rate = report.success_rate === null ? '' : `success rate ${percent(report.success_rate, 2)}`;
  const groups: Fact[][] = [
    [
      { label: 'Requests', value: int(report.requests) },
      { label: 'Answered', value: int(report.answered), note: rate },
      {
        label: 'Rescued by fallback or retry',
        value: int(report.rescued),
        note: `upstream failures caught: ${int(report.upstream_failures_caught)}`,
      },
      {
        label: 'User-visible errors',
        value: int(report.errors.total),
        note: counts(report.errors.by_kind),
      },
      { label: 'Cancelled by the caller', value: int(report.cancelled) },
    ],
    [
      { label: 'Latency (ms)', value: '', note: latency(report.latency_ms) },
      { label: 'Time to first token (ms)', value: '', note: ttft(report.time_to_first_token_ms) },
      {
        label: 'Circuit breaker trips',
        value: int(report.breaker_trips.total),
        note: counts(report.breaker_trips.by_model),
      },
      {
        label: 'Rate-limit cooldowns',
        value: int(report.rate_limit_cooldowns.total),
        note: counts(report.rate_limit_cooldowns.by_model),
      },
    ],
    costFacts(report),
  ];
  const tables = [answersTable(report), providerTable(report), reliabilityTable(report)];
  if (report.outages.length > 0) tables.push(outageTable(report));
  return { title, groups, tables };
}

function outageTable(report: Report): ViewTable {
  const headers = [
    'Model',
    'Down',
    'Detected',
    'Recovered',
    'Traffic back',
    'Detect s',
    'Back s',
    'Outage s',
  ];
  const time = (iso: string | null) => (iso === null ? '-' : iso.slice(11, 19));
  const seconds = (ms: number | null) => (ms === null ? '-' : (ms / 1000).toFixed(1));
  const rows = report.outages.map((o) => [
    o.model,
    time(o.down_at),
    time(o.detected_at),
    time(o.recovered_at),
    time(o.traffic_back_at),
    seconds(o.detection_ms),
    seconds(o.return_ms),
    seconds(o.outage_ms),
  ]);
  return { title: 'Outages (UTC)', headers, numeric: headers.map((_, i) => i >= 5), rows };
}

function costFacts(report: Report): Fact[] {
  const cost = report.cost_usd;
  const facts: Fact[] = [
    {
      label: 'Cost (USD)',
      value: usd(cost.total),
      note: `answers ${usd(cost.answers)}, wasted attempts ${usd(cost.wasted)}`,
    },
    {
      label: 'Tokens',
      value: int(report.tokens.prompt + report.tokens.completion),
      note: `prompt ${int(report.tokens.prompt)}, completion ${int(report.tokens.completion)}`,
    },
  ];
  const b = report.baseline;
  if (b !== null) {
    const pct = b.saving_percent === null ? '' : ` (${Math.abs(b.saving_percent).toFixed(2)} %)`;
    const verdict =
      b.saving_usd >= 0
        ? `saving ${usd(b.saving_usd)}${pct}`
        : `no saving: spent ${usd(-b.saving_usd)}${pct} more`;
    facts.push({
      label: `Same answers on ${b.model} (USD)`,
      value: usd(b.cost_usd),
      note: `at ${b.price.input}/${b.price.output} per 1M tokens; ${verdict}`,
    });
  }
  return facts;
}

function answersTable(report: Report): ViewTable {
  const headers = ['Model', 'Provider', 'Answers', 'Share', 'Prompt tokens', 'Completion tokens', 'Cost USD'];
  const rows = Object.entries(report.models).map(([id, m]) => [
    id,
    m.provider ?? '',
    int(m.answers),
    percent(m.share, 1),
    int(m.prompt_tokens),
    int(m.completion_tokens),
    usd(m.cost_usd),
  ]);
  return { title: 'Answers by model', headers, numeric: headers.map((_, i) => i >= 2), rows };
}

function reliabilityTable(report: Report): ViewTable {
  const headers = ['Model', 'Attempts', 'Failed', 'Trips', 'Cooldowns', 'p50 ms', 'p95 ms', 'p99 ms'];
  headers.push('TTFT p50', 'TTFT p99');
  const rows = Object.entries(report.models).map(([id, m]) => [
    id,
    int(m.attempts),
    int(m.failed_attempts),
    int(m.breaker_trips),
    int(m.rate_limit_cooldowns),
    ms(m.latency_ms?.p50),
    ms(m.latency_ms?.p95),
    ms(m.latency_ms?.p99),
    ms(m.time_to_first_token_ms?.p50),
    ms(m.time_to_first_token_ms?.p99),
  ]);
  return { title: 'Attempts and latency by model', headers, numeric: headers.map((_, i) => i >= 1), rows };
}

function providerTable(report: Report): ViewTable {
  const headers = ['Provider', 'Answers', 'Share', 'Cost USD'];
  const rows = Object.entries(report.providers).map(([id, p]) => [
    id,
    int(p.answers),
    percent(p.share, 1),
    usd(p.cost_usd),
  ]);
  return { title: 'By provider', headers, numeric: headers.map((_, i) => i >= 1), rows };
}

function latency(l: LatencySummary | null): string {
  return l === null ? 'no answers' : `p50 ${ms(l.p50)}   p95 ${ms(l.p95)}   p99 ${ms(l.p99)}`;
}

function ttft(t: TtftSummary | null): string {
  return t === null ? 'no streamed answers' : `p50 ${ms(t.p50)}   p99 ${ms(t.p99)}`;
}

function counts(c: Counts): string {
  return Object.entries(c)
    .map(([key, n]) => `${key} ${int(n)}`)
    .join(', ');
}

function shortDate(iso: string): string {
  return iso.slice(0, 16).replace('T', ' ');
}

function int(n: number): string {
  return n.toLocaleString('en-US');
}

function ms(n: number | undefined): string {
  return n === undefined
    ? '-'
    : n.toLocaleString('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
}

function percent(ratio: number, digits: number): string {
  return `${(ratio * 100).toFixed(digits)} %`;
}

/** Six decimals: a millionth of a dollar is about one token of a cheap model. */
function usd(n: number): string {
  return n.toLocaleString('en-US', { minimumFractionDigits: 6, maximumFractionDigits: 6 });
}
