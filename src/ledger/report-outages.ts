import { type HealthMark, outageSpans } from '../telemetry/outage-spans.js';
import type { OutageReport } from './report-types.js';
import { isFailedAttempt, type LedgerRows } from './rows.js';

/**
 * The period's outages (pure), from its rows: each request's attempts are a model's verdicts at the
 * request's time, its breaker rows the opens and closes. With `models`, only those models' outages.
 */
export function outageSection(rows: LedgerRows, models?: ReadonlySet<string>): OutageReport[] {
  const marks: HealthMark[] = [];
  for (const r of rows.requests) {
    for (const a of r.attempts) {
      if (isFailedAttempt(a) && !REQUEST_OWN_KINDS.has(a.errorKind ?? ''))
        marks.push({ atMs: r.atMs, model: a.model, kind: 'failure' });
      else if (a.outcome === 'success') marks.push({ atMs: r.atMs, model: a.model, kind: 'success' });
    }
  }
  for (const b of rows.breakers) {
    if (b.to === 'open') marks.push({ atMs: b.atMs, model: b.model, kind: 'open' });
    else if (b.to === 'closed') marks.push({ atMs: b.atMs, model: b.model, kind: 'close' });
  }
  // At the same ms: failures (they may have opened the breaker), then the breaker's changes, then
  // successes (a close lets them through).
  marks.sort((x, y) => x.atMs - y.atMs || RANK[x.kind] - RANK[y.kind]);
  return outageSpans(marks)
    .filter((s) => models === undefined || models.has(s.model))
    .map((s) => ({
      model: s.model,
      down_at: new Date(s.downAtMs).toISOString(),
      detected_at: new Date(s.detectedAtMs).toISOString(),
      recovered_at: s.recoveredAtMs === undefined ? null : new Date(s.recoveredAtMs).toISOString(),
      traffic_back_at: s.trafficBackAtMs === undefined ? null : new Date(s.trafficBackAtMs).toISOString(),
      detection_ms: s.detectedAtMs - s.downAtMs,
      return_ms:
        s.trafficBackAtMs === undefined || s.recoveredAtMs === undefined
          ? null
          : s.trafficBackAtMs - s.recoveredAtMs,
      outage_ms: s.trafficBackAtMs === undefined ? null : s.trafficBackAtMs - s.downAtMs,
    }));
}

/** Failures that are the request's own doing (as on the status page): not an outage. */
const REQUEST_OWN_KINDS: ReadonlySet<string> = new Set(['client', 'content_policy', 'context_length']);

const RANK: Readonly<Record<HealthMark['kind'], number>> = { failure: 0, open: 1, close: 1, success: 2 };
