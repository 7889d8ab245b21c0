import { describe, expect, it } from 'vitest';
import { attempt, cooldown, failed, request, trip } from '../../test/support/ledger-rows.js';
import { formatReport } from './format.js';
import { buildReport } from './report.js';

const answered = request([failed('deepseek-chat'), attempt('glm-5.1')], {
  costUsd: 0.0012,
  timeToFirstTokenMs: 210,
});
const report = buildReport(
  {
    requests: [
      answered,
      request([attempt('deepseek-chat')], { costUsd: 0.0003, latencyMs: 1234.5 }),
      request([failed('deepseek-chat'), failed('glm-5.1')], { outcome: 'all_models_failed' }),
    ],
    breakers: [trip('deepseek-chat')],
    cooldowns: [cooldown('glm-5.1', answered.requestId)],
  },
  {
    sinceMs: Date.parse('2026-06-01T00:00:00Z'),
    untilMs: Date.parse('2026-07-01T00:00:00Z'),
    route: 'main',
    baseline: { model: 'gpt-4o', price: { inputUsdPer1M: 50, outputUsdPer1M: 100 } },
  },
);

describe('formatReport', () => {
  it('json is the report itself', () => {
    expect(JSON.parse(formatReport(report, 'json'))).toEqual(report);
  });

  it('table: a title, aligned facts, and aligned tables', () => {
    const text = formatReport(report, 'table');
    const lines = text.split('\n');
    expect(lines[0]).toBe('Switchboard report: 2026-06-01 00:00 → 2026-07-01 00:00 UTC, route main');
    expect(text).toMatch(/^Answered +2 {2}success rate 66\.67 %$/m);
    expect(text).toMatch(/^Rescued by fallback or retry +1 {2}upstream failures caught: 1$/m);
    expect(text).toMatch(/^User-visible errors +1 {2}all_models_failed 1$/m);
    expect(text).toMatch(/^Latency \(ms\) +p50 100\.0 {3}p95 1,234\.5 {3}p99 1,234\.5$/m);
    expect(text).toMatch(/^Circuit breaker trips +1 {2}deepseek-chat 1$/m);
    // 20 prompt + 40 completion tokens at 50/100 per 1M = 0.005; spent 0.0015: saving 0.0035 (70 %).
    expect(text).toMatch(
      /^Same answers on gpt-4o \(USD\) +0\.005000 {2}at 50\/100 per 1M tokens; saving 0\.003500 \(70\.00 %\)$/m,
    );
    const header = lines.findIndex((l) => l.startsWith('Model '));
    const rows = lines.slice(header, header + 4);
    expect(rows[1]).toMatch(/^-+( {2}-+)+$/);
    // Right-aligned numbers end in the same column as their header.
    const costEnd = rows[0]!.indexOf('Cost USD') + 'Cost USD'.length;
    expect(rows[2]!.slice(0, costEnd).endsWith('0.000300')).toBe(true);
    expect(rows[3]!.slice(0, costEnd).endsWith('0.001200')).toBe(true);
    expect(text.endsWith('\n')).toBe(true);
  });

  it('markdown: headings and pipe tables with numbers right-aligned', () => {
    const text = formatReport(report, 'markdown');
    expect(text).toContain('## Switchboard report: 2026-06-01 00:00 → 2026-07-01 00:00 UTC, route main');
    expect(text).toContain('| **Requests** | 3 |  |');
    expect(text).toContain('### Answers by model');
    expect(text).toContain(
      '| Model | Provider | Answers | Share | Prompt tokens | Completion tokens | Cost USD |',
    );
    expect(text).toContain('| --- | --- | ---: | ---: | ---: | ---: | ---: |');
    expect(text).toContain('| glm-5.1 | p-glm-5.1 | 1 | 50.0 % | 10 | 20 | 0.001200 |');
    expect(text).toContain('### Attempts and latency by model');
  });

  it('says so when a baseline would have been cheaper', () => {
    const cheap = buildReport(
      { requests: [request([attempt('a')], { costUsd: 1 })], breakers: [], cooldowns: [] },
      { sinceMs: 0, untilMs: 1, baseline: { model: 'free', price: { inputUsdPer1M: 0, outputUsdPer1M: 0 } } },
    );
    expect(formatReport(cheap, 'table')).toContain('no saving: spent 1.000000 more');
  });
});
