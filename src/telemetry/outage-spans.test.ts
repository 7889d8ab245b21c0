import { describe, expect, it } from 'vitest';
import { type HealthMark, outageSpans } from './outage-spans.js';

const m = (atMs: number, kind: HealthMark['kind'], model = 'a'): HealthMark => ({ atMs, model, kind });

describe('outageSpans', () => {
  it.each<[string, HealthMark[], ReturnType<typeof outageSpans>]>([
    ['nothing', [], []],
    ['failures without an open are no outage', [m(1, 'failure'), m(2, 'failure'), m(3, 'success')], []],
    [
      'down at the first failure, detected at the open, recovered at the close, back at the first success',
      [
        m(0, 'success'),
        m(10, 'failure'),
        m(14, 'failure'),
        m(18, 'failure'),
        m(18, 'open'),
        m(68, 'close'),
        m(68, 'success'),
      ],
      [{ model: 'a', downAtMs: 10, detectedAtMs: 18, recoveredAtMs: 68, trafficBackAtMs: 68 }],
    ],
    [
      'a success before the failures resets the start',
      [m(1, 'failure'), m(2, 'success'), m(5, 'failure'), m(6, 'open')],
      [{ model: 'a', downAtMs: 5, detectedAtMs: 6 }],
    ],
    [
      'still open: no recovery yet',
      [m(5, 'open'), m(9, 'failure')],
      [{ model: 'a', downAtMs: 5, detectedAtMs: 5 }],
    ],
    [
      'closed, no traffic yet',
      [m(5, 'open'), m(15, 'close')],
      [{ model: 'a', downAtMs: 5, detectedAtMs: 5, recoveredAtMs: 15 }],
    ],
    [
      'a reopen before traffic came back is the same outage',
      [m(5, 'open'), m(15, 'close'), m(16, 'failure'), m(16, 'open'), m(30, 'close'), m(31, 'success')],
      [{ model: 'a', downAtMs: 5, detectedAtMs: 5, recoveredAtMs: 30, trafficBackAtMs: 31 }],
    ],
    [
      'a success while open (a hedge admitted earlier) does not end it',
      [m(5, 'open'), m(6, 'success'), m(15, 'close'), m(20, 'success')],
      [{ model: 'a', downAtMs: 5, detectedAtMs: 5, recoveredAtMs: 15, trafficBackAtMs: 20 }],
    ],
    [
      'two outages, and models apart',
      [
        m(1, 'failure'),
        m(2, 'open'),
        m(3, 'open', 'b'),
        m(4, 'close'),
        m(5, 'success'),
        m(8, 'failure'),
        m(9, 'open'),
      ],
      [
        { model: 'a', downAtMs: 1, detectedAtMs: 2, recoveredAtMs: 4, trafficBackAtMs: 5 },
        { model: 'b', downAtMs: 3, detectedAtMs: 3 },
        { model: 'a', downAtMs: 8, detectedAtMs: 9 },
      ],
    ],
  ])('%s', (_name, marks, expected) => {
    expect(outageSpans(marks)).toEqual(expected);
  });
});
