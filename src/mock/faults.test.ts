import { describe, expect, it } from 'vitest';
import { SwitchboardError } from '../common/errors.js';
import { mulberry32, seededRandom } from '../common/seeded-random.js';
import { type Fault, formatFault, parseFault, resolveFault } from './faults.js';

describe('parseFault', () => {
  const cases: Array<[string, Fault]> = [
    ['ok', { type: 'ok' }],
    ['500', { type: 'status', status: 500 }],
    ['503', { type: 'status', status: 503 }],
    ['401', { type: 'status', status: 401 }],
    ['529', { type: 'status', status: 529 }],
    ['429', { type: 'rate-limit' }],
    ['429:2', { type: 'rate-limit', retryAfterS: 2 }],
    ['429ms:150', { type: 'rate-limit', retryAfterMs: 150 }],
    ['timeout', { type: 'timeout' }],
    ['reset', { type: 'reset' }],
    ['flaky:0.3', { type: 'flaky', probability: 0.3 }],
    ['flaky:1', { type: 'flaky', probability: 1 }],
    ['slow-first-token:50', { type: 'slow-first-token', ms: 50 }],
    ['stream-cut:2', { type: 'stream-cut', chunks: 2 }],
    ['stall:1:40', { type: 'stall', chunks: 1, ms: 40 }],
    ['overloaded-mid-stream:2', { type: 'overloaded-mid-stream', chunks: 2 }],
    ['malformed:3', { type: 'malformed', chunk: 3 }],
    ['no-done', { type: 'no-done' }],
    ['context-length', { type: 'context-length' }],
    ['content-filter', { type: 'content-filter' }],
    ['safety-block', { type: 'safety-block' }],
    ['down-for:100', { type: 'down-for', ms: 100 }],
    ['bad-json', { type: 'bad-json' }],
    ['empty-choices', { type: 'empty-choices' }],
  ];

  it.each(cases)('parses %s and formats it back', (spec, fault) => {
    expect(parseFault(spec)).toEqual(fault);
    expect(formatFault(fault)).toBe(spec);
  });

  it('tolerates case and surrounding whitespace', () => {
    expect(parseFault('  Timeout ')).toEqual({ type: 'timeout' });
  });

  it.each([
    'nope',
    '',
    '200',
    '302',
    '600',
    '5000',
    'flaky',
    'flaky:1.5',
    'flaky:abc',
    'stall:1',
    'stall:a:b',
    'stream-cut:-1',
    'malformed:0',
    'overloaded-mid-stream',
    'overloaded-mid-stream:x',
    'ok:1',
    '503:1',
    '429:1:2',
    'down-for:1.5',
  ])('rejects %j with invalid_fault listing the valid modes', (spec) => {
    let caught: unknown;
    try {
      parseFault(spec);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(SwitchboardError);
    const err = caught as SwitchboardError;
    expect(err.code).toBe('invalid_fault');
    expect(err.message).toContain('stream-cut:N');
    expect(err.message).toContain('down-for:MS');
  });
});

describe('resolveFault', () => {
  it('validates fault objects through their spec', () => {
    expect(resolveFault({ type: 'stall', chunks: 2, ms: 10 })).toEqual({
      fault: { type: 'stall', chunks: 2, ms: 10 },
      spec: 'stall:2:10',
    });
    expect(resolveFault({ type: 'status', status: 429 }).spec).toBe('429');
    expect(() => resolveFault({ type: 'flaky', probability: 2 })).toThrow(SwitchboardError);
    expect(() => resolveFault({ type: 'bogus' } as unknown as Fault)).toThrow(/Valid modes/);
    expect(() => resolveFault(42 as unknown as Fault)).toThrow(SwitchboardError);
  });
});

describe('seeded random', () => {
  it('is deterministic per seed and in [0, 1)', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const c = seededRandom(7);
    const seqA = Array.from({ length: 50 }, a);
    const seqB = Array.from({ length: 50 }, b);
    const seqC = Array.from({ length: 50 }, c);
    expect(seqA).toEqual(seqB);
    expect(seqA).not.toEqual(seqC);
    for (const x of [...seqA, ...seqC]) {
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(1);
    }
  });

  it('is roughly uniform', () => {
    const r = seededRandom(1);
    let below = 0;
    for (let i = 0; i < 10_000; i++) if (r() < 0.3) below++;
    expect(below).toBeGreaterThan(2700);
    expect(below).toBeLessThan(3300);
  });
});
