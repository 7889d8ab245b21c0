import { describe, expect, it } from 'vitest';
import { parseBaseline, parseReportRequest, parseSince, ReportOptionError } from './report-options.js';

const NOW = Date.parse('2026-06-30T12:00:00Z');
const MODELS = {
  'gpt-4o': { price: { inputUsdPer1M: 2.5, outputUsdPer1M: 10 } },
  unpriced: {},
};

describe('parseSince', () => {
  it.each([
    ['30d', NOW - 30 * 86_400_000],
    ['12h', NOW - 12 * 3_600_000],
    ['90m', NOW - 90 * 60_000],
    ['2w', NOW - 14 * 86_400_000],
    ['1.5d', NOW - 1.5 * 86_400_000],
    [' 7D ', NOW - 7 * 86_400_000],
    ['2026-06-01', Date.parse('2026-06-01T00:00:00Z')],
    ['2026-06-01T08:30:00Z', Date.parse('2026-06-01T08:30:00Z')],
  ])('%s', (text, expected) => {
    expect(parseSince(text, NOW)).toBe(expected);
  });

  it.each([[''], ['30'], ['d'], ['-3d'], ['30 days'], ['2026-13-45'], ['yesterday']])(
    'rejects %j',
    (text) => {
      expect(() => parseSince(text, NOW)).toThrow(ReportOptionError);
    },
  );
});

describe('parseBaseline', () => {
  it('takes a configured model with its price', () => {
    expect(parseBaseline('gpt-4o', MODELS)).toEqual({
      model: 'gpt-4o',
      price: { inputUsdPer1M: 2.5, outputUsdPer1M: 10 },
    });
  });

  it('takes any name with a price per 1M input/output tokens, overriding the config', () => {
    expect(parseBaseline('gpt-4o=5/15', MODELS)).toEqual({
      model: 'gpt-4o',
      price: { inputUsdPer1M: 5, outputUsdPer1M: 15 },
    });
    expect(parseBaseline('claude = 3 / 15')).toEqual({
      model: 'claude',
      price: { inputUsdPer1M: 3, outputUsdPer1M: 15 },
    });
  });

  it.each([
    [
      'gpt-5',
      /baseline "gpt-5" is not a configured model with a price \(models with a price: gpt-4o\); .* gpt-5=2.5\/10/,
    ],
    ['unpriced', /not a configured model with a price/],
    ['toString', /not a configured model/],
    ['gpt-4o=2.5', /not a configured model/],
    ['gpt-4o=1..2/3', /cannot read the baseline price/],
  ])('rejects %s', (spec, message) => {
    expect(() => parseBaseline(spec, MODELS)).toThrow(message);
  });
});

describe('parseReportRequest', () => {
  it('defaults to the last 30 days as a table', () => {
    expect(parseReportRequest({}, NOW)).toEqual({
      options: { sinceMs: NOW - 30 * 86_400_000, untilMs: NOW },
      format: 'table',
    });
  });

  it('reads route, baseline and format', () => {
    const { options, format } = parseReportRequest(
      { since: '1d', route: 'main', baseline: 'gpt-4o', format: 'markdown' },
      NOW,
      MODELS,
    );
    expect(format).toBe('markdown');
    expect(options).toMatchObject({ route: 'main', baseline: { model: 'gpt-4o' } });
  });

  it('rejects an unknown format and a start in the future', () => {
    expect(() => parseReportRequest({ format: 'csv' }, NOW)).toThrow(
      'format must be one of table, markdown, json, not "csv"',
    );
    expect(() => parseReportRequest({ since: '2099-01-01' }, NOW)).toThrow('since is in the future');
  });
});
