import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { merged } from './merged.js';

describe('merged', () => {
  it('makes what a spread makes: same keys, same order, same values', () => {
    const key = fc.oneof(
      fc.constantFrom('model', 'stream', 'a', '1', '__proto__', 'constructor'),
      fc.string(),
    );
    const record = fc.dictionary(key, fc.jsonValue(), { maxKeys: 8 });
    fc.assert(
      fc.property(
        fc.json(),
        fc.json(),
        record,
        fc.option(record, { nil: undefined }),
        (aText, bText, extra, more) => {
          // Parsed JSON, as a client body comes: it may own a "__proto__" key.
          const a = JSON.parse(`{"x":${aText},"__proto__":${bText}}`) as object;
          const spread = { ...a, ...extra, ...more };
          const built = merged(a, extra, more);
          expect(Object.keys(built)).toEqual(Object.keys(spread));
          expect(JSON.stringify(built)).toBe(JSON.stringify(spread));
          expect(Object.getPrototypeOf(built)).toBe(Object.prototype);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('leaves both sources untouched', () => {
    const base = { a: '1', b: '2' };
    const extra = { b: '3', c: '4' };
    expect(merged(base, extra)).toEqual({ a: '1', b: '3', c: '4' });
    expect(base).toEqual({ a: '1', b: '2' });
    expect(extra).toEqual({ b: '3', c: '4' });
  });
});
