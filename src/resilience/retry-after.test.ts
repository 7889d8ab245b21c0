import { describe, expect, it } from 'vitest';
import { type HeaderLookup, MAX_RETRY_AFTER_MS, parseDurationMs, parseRetryAfterMs } from './retry-after.js';

describe('parseDurationMs', () => {
  it.each<[string, number | undefined]>([
    ['1s', 1_000],
    ['6m0s', 360_000],
    ['20ms', 20],
    ['1h2m3.5s', 3_723_500],
    ['0.5s', 500],
    ['.5s', 500],
    ['1.s', 1_000],
    ['0', 0],
    ['0s', 0],
    ['2h', 7_200_000],
    ['1m', 60_000],
    ['1ms', 1],
    ['1500us', 1.5],
    ['1500µs', 1.5],
    ['1500μs', 1.5],
    ['2000000ns', 2],
    ['1s500ms', 1_500],
    ['30s1m', 90_000], // any order, like Go
    ['1S', 1_000], // case-insensitive
    ['  6m0s  ', 360_000],
    // garbage
    ['', undefined],
    ['   ', undefined],
    ['1', undefined],
    ['12', undefined],
    ['s', undefined],
    ['-1s', undefined],
    ['+1s', undefined],
    ['1e3s', undefined],
    ['1 s', undefined],
    ['1s 2m', undefined],
    ['1d', undefined],
    ['1sec', undefined],
    ['1s!', undefined],
    ['NaNs', undefined],
    ['Infinitys', undefined],
    ['1..5s', undefined],
    ['0x10s', undefined],
    [`${'9'.repeat(400)}h`, undefined], // overflows a double
  ])('%j → %s', (text, expected) => {
    expect(parseDurationMs(text)).toBe(expected);
  });

  it('is reentrant across calls (no sticky regex state)', () => {
    expect(parseDurationMs('1x')).toBeUndefined();
    expect(parseDurationMs('1s')).toBe(1_000);
    expect(parseDurationMs('2s')).toBe(2_000);
  });
});

const NOW = Date.parse('Wed, 21 Oct 2015 07:28:00 GMT');

describe('parseRetryAfterMs', () => {
  it.each<[string, HeaderLookup, number | undefined]>([
    ['no headers', {}, undefined],
    ['unrelated headers', { 'content-type': 'application/json' }, undefined],
    ['undefined value', { 'retry-after': undefined }, undefined],

    // retry-after-ms
    ['retry-after-ms integer', { 'retry-after-ms': '1500' }, 1_500],
    ['retry-after-ms fractional rounds up', { 'retry-after-ms': '12.2' }, 13],
    ['retry-after-ms zero', { 'retry-after-ms': '0' }, 0],
    ['retry-after-ms padded', { 'retry-after-ms': ' 250 ' }, 250],
    ['retry-after-ms wins over retry-after', { 'retry-after-ms': '100', 'retry-after': '5' }, 100],
    ['retry-after-ms garbage falls through', { 'retry-after-ms': 'soon', 'retry-after': '5' }, 5_000],
    ['retry-after-ms negative falls through', { 'retry-after-ms': '-100', 'retry-after': '2' }, 2_000],
    ['retry-after-ms NaN', { 'retry-after-ms': 'NaN' }, undefined],
    ['retry-after-ms Infinity', { 'retry-after-ms': 'Infinity' }, undefined],
    ['retry-after-ms exponent', { 'retry-after-ms': '1e3' }, undefined],
    ['retry-after-ms empty', { 'retry-after-ms': '' }, undefined],
    ['retry-after-ms huge is capped', { 'retry-after-ms': '999999999999' }, MAX_RETRY_AFTER_MS],

    // retry-after delta-seconds
    ['retry-after seconds', { 'retry-after': '120' }, 120_000],
    ['retry-after decimal seconds', { 'retry-after': '1.5' }, 1_500],
    ['retry-after tiny decimal rounds up', { 'retry-after': '0.0001' }, 1],
    ['retry-after zero', { 'retry-after': '0' }, 0],
    ['retry-after negative', { 'retry-after': '-5' }, undefined],
    ['retry-after garbage', { 'retry-after': 'later' }, undefined],
    ['retry-after number with junk', { 'retry-after': '5 apples' }, undefined],
    ['retry-after hex', { 'retry-after': '0x10' }, undefined],
    ['retry-after one day + 1s is capped', { 'retry-after': '86401' }, MAX_RETRY_AFTER_MS],
    ['retry-after exactly one day', { 'retry-after': '86400' }, MAX_RETRY_AFTER_MS],
    ['retry-after absurd', { 'retry-after': '1'.padEnd(30, '0') }, MAX_RETRY_AFTER_MS],

    // retry-after HTTP-date
    ['IMF-fixdate in the future', { 'retry-after': 'Wed, 21 Oct 2015 07:28:30 GMT' }, 30_000],
    ['RFC 850 date', { 'retry-after': 'Wednesday, 21-Oct-15 07:29:00 GMT' }, 60_000],
    ['asctime date (read as GMT)', { 'retry-after': 'Wed Oct 21 07:28:10 2015' }, 10_000],
    ['date now', { 'retry-after': 'Wed, 21 Oct 2015 07:28:00 GMT' }, 0],
    ['date in the past', { 'retry-after': 'Tue, 20 Oct 2015 07:28:00 GMT' }, 0],
    ['date far future is capped', { 'retry-after': 'Wed, 21 Oct 2099 07:28:00 GMT' }, MAX_RETRY_AFTER_MS],
    ['invalid date', { 'retry-after': 'Wed, 99 Oct 2015 99:28:00 GMT' }, undefined],
    ['ISO date is not an HTTP-date', { 'retry-after': '2015-10-21T07:28:30Z' }, undefined],
    ['month name alone', { 'retry-after': 'Oct' }, undefined],

    // OpenAI reset headers
    ['reset-requests alone', { 'x-ratelimit-reset-requests': '1s' }, 1_000],
    ['reset-tokens alone', { 'x-ratelimit-reset-tokens': '6m0s' }, 360_000],
    [
      'no remaining headers: larger of both',
      { 'x-ratelimit-reset-requests': '1s', 'x-ratelimit-reset-tokens': '20ms' },
      1_000,
    ],
    [
      'only the exhausted limit counts',
      {
        'x-ratelimit-reset-requests': '6m0s',
        'x-ratelimit-remaining-requests': '59',
        'x-ratelimit-reset-tokens': '1.5s',
        'x-ratelimit-remaining-tokens': '0',
      },
      1_500,
    ],
    [
      'both exhausted: larger wins',
      {
        'x-ratelimit-reset-requests': '2s',
        'x-ratelimit-remaining-requests': '0',
        'x-ratelimit-reset-tokens': '1h2m3.5s',
        'x-ratelimit-remaining-tokens': '0',
      },
      3_723_500,
    ],
    [
      'neither exhausted',
      {
        'x-ratelimit-reset-requests': '2s',
        'x-ratelimit-remaining-requests': '3',
        'x-ratelimit-reset-tokens': '5s',
        'x-ratelimit-remaining-tokens': '100',
      },
      undefined,
    ],
    [
      'remaining given for one kind only: the other still counts',
      {
        'x-ratelimit-reset-requests': '9s',
        'x-ratelimit-remaining-requests': '10',
        'x-ratelimit-reset-tokens': '3s',
      },
      3_000,
    ],
    [
      'unreadable remaining is treated as unknown',
      { 'x-ratelimit-reset-tokens': '4s', 'x-ratelimit-remaining-tokens': 'lots' },
      4_000,
    ],
    [
      'garbage reset is ignored, the other used',
      { 'x-ratelimit-reset-requests': 'soon', 'x-ratelimit-reset-tokens': '0.5s' },
      500,
    ],
    [
      'garbage resets only',
      { 'x-ratelimit-reset-requests': '-1s', 'x-ratelimit-reset-tokens': '' },
      undefined,
    ],
    ['sub-millisecond reset rounds up', { 'x-ratelimit-reset-tokens': '300us' }, 1],
    ['reset capped', { 'x-ratelimit-reset-requests': '48h' }, MAX_RETRY_AFTER_MS],
    ['retry-after beats reset headers', { 'retry-after': '2', 'x-ratelimit-reset-requests': '1m' }, 2_000],
    [
      'garbage retry-after falls through to resets',
      { 'retry-after': '??', 'x-ratelimit-reset-requests': '1m' },
      60_000,
    ],
    // remaining-* without reset-* means nothing
    ['remaining without reset', { 'x-ratelimit-remaining-requests': '0' }, undefined],

    // arrays: first value
    ['array uses the first value', { 'retry-after': ['3', '60'] }, 3_000],
    ['array with garbage first', { 'retry-after': ['x', '60'] }, undefined],
    ['empty array', { 'retry-after': [] }, undefined],
    ['array in reset headers', { 'x-ratelimit-reset-requests': ['2s', '9s'] }, 2_000],

    // names are expected lowercase
    ['mixed-case name is not looked up', { 'Retry-After': '5' }, undefined],
  ])('%s', (_name, headers, expected) => {
    expect(parseRetryAfterMs(headers, NOW)).toBe(expected);
  });

  it('returns whole milliseconds', () => {
    for (const value of ['0.1', '1.23456', '7']) {
      expect(Number.isInteger(parseRetryAfterMs({ 'retry-after': value }, NOW))).toBe(true);
    }
  });

  it('ignores an HTTP-date when nowMs is not a number', () => {
    expect(parseRetryAfterMs({ 'retry-after': 'Wed, 21 Oct 2015 07:28:30 GMT' }, Number.NaN)).toBeUndefined();
    expect(parseRetryAfterMs({ 'retry-after': '3' }, Number.NaN)).toBe(3_000);
  });
});
