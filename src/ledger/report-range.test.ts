import { describe, expect, it } from 'vitest';
import { parseReportRequest, parseSince, ReportOptionError } from './report-options.js';

const NOW = Date.parse('2026-06-30T12:00:00Z');

/** Values of `since` that read as a duration or a date but lie outside what a ledger can hold. */
describe('parseSince refuses periods out of range with a ReportOptionError', () => {
  it.each([
    ['999999999d', /reaches back before 1970-01-01/],
    ['9999999999999999999999w', /reaches back before 1970-01-01/],
    [`${'9'.repeat(400)}d`, /reaches back before 1970-01-01/],
    ['0d', /is an empty period/],
    ['0m', /is an empty period/],
    ['0.0h', /is an empty period/],
    ['0000-01-01', /reaches back before 1970-01-01/],
    ['1969-12-31', /reaches back before 1970-01-01/],
    ['2099-01-01', /since is in the future/],
    ['2026-06-30T12:00:01Z', /since is in the future/],
    ['2026-02-30', /cannot read since "2026-02-30"/],
    ['2026-13-01', /cannot read since/],
    ['2026-00-10', /cannot read since/],
    ['2026-06-01T25:00:00Z', /cannot read since/],
    ['-3d', /cannot read since/],
    ['NaNd', /cannot read since/],
    ['Infinityd', /cannot read since/],
  ])('%s', (text, message) => {
    expect(() => parseSince(text, NOW)).toThrow(ReportOptionError);
    expect(() => parseSince(text, NOW)).toThrow(message);
  });

  it('still takes the edges of the range', () => {
    expect(parseSince('1970-01-01', NOW)).toBe(0);
    expect(parseSince('2026-06-30T12:00:00Z', NOW)).toBe(NOW);
    expect(parseSince('2024-02-29', NOW)).toBe(Date.parse('2024-02-29'));
    expect(parseSince('0.5m', NOW)).toBe(NOW - 30_000);
  });

  it('shows a long value shortened', () => {
    expect(() => parseSince(`${'9'.repeat(400)}d`, NOW)).toThrow(/"9{40}…"/);
  });

  it('parseReportRequest passes the refusal on', () => {
    expect(() => parseReportRequest({ since: '999999999d' }, NOW)).toThrow(ReportOptionError);
  });
});
