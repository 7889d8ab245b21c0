import { describe, expect, it } from 'vitest';
import type { Random } from '../../common/clock.js';
import { mulberry32 } from '../../common/seeded-random.js';
import type { Price, RouteStrategy } from '../../config/types.js';
import { estimatePromptTokens, type OrderInput, orderChain } from './order-chain.js';

/** A Random that plays back `values` and fails the test if asked for more. */
function scripted(...values: number[]): Random & { calls: () => number } {
  let i = 0;
  const random = () => {
    if (i >= values.length) throw new Error(`random() called more than ${values.length} times`);
    return values[i++]!;
  };
  return Object.assign(random, { calls: () => i });
}

const never: Random = () => {
  throw new Error('random() must not be called');
};

function input(
  strategy: RouteStrategy,
  models: readonly string[],
  overrides: Partial<Omit<OrderInput, 'route'>> & { weights?: readonly number[] } = {},
): OrderInput {
  const { weights = [], ...rest } = overrides;
  return {
    route: { strategy, models, weights },
    models: {},
    latencyMs: () => undefined,
    promptTokens: 1_000,
    completionTokens: 500,
    random: never,
    ...rest,
  };
}

const latencies =
  (table: Record<string, number | undefined>) =>
  (model: string): number | undefined =>
    Object.hasOwn(table, model) ? table[model] : undefined;

describe('orderChain', () => {
  describe('any strategy', () => {
    it.each<RouteStrategy>(['ordered', 'fastest', 'cheapest', 'weighted'])(
      '%s: an empty chain or one model needs no ordering nor chance',
      (strategy) => {
        expect(orderChain(input(strategy, [], { exploreRate: 1 }))).toEqual([]);
        expect(orderChain(input(strategy, ['a'], { exploreRate: 1, weights: [0] }))).toEqual(['a']);
      },
    );

    it.each<RouteStrategy>(['ordered', 'fastest', 'cheapest', 'weighted'])(
      '%s: returns a fresh array with the same models',
      (strategy) => {
        const models = ['a', 'b', 'c'];
        const out = orderChain(input(strategy, models, { random: mulberry32(7), weights: [1, 2, 3] }));
        expect(out).not.toBe(models);
        expect([...out].sort()).toEqual(models);
        expect(models).toEqual(['a', 'b', 'c']);
      },
    );

    it('orders an unknown strategy as written', () => {
      const odd = input('ordered', ['b', 'a']);
      const route = { ...odd.route, strategy: 'random' as RouteStrategy };
      expect(orderChain({ ...odd, route })).toEqual(['b', 'a']);
    });
  });

  describe('ordered', () => {
    it('keeps the chain as written, whatever the latencies, prices or weights', () => {
      const out = orderChain(
        input('ordered', ['c', 'a', 'b'], {
          latencyMs: latencies({ a: 1, b: 2, c: 3 }),
          models: { a: { price: { inputUsdPer1M: 0, outputUsdPer1M: 0 } } },
          weights: [0, 0, 100],
        }),
      );
      expect(out).toEqual(['c', 'a', 'b']);
    });
  });

  describe('fastest', () => {
    it.each<[string, string[], Record<string, number | undefined>, string[]]>([
      // name, chain, EWMA latencies, expected order (exploreRate 0)
      ['by latency ascending', ['a', 'b', 'c'], { a: 300, b: 100, c: 200 }, ['b', 'c', 'a']],
      ['already sorted', ['a', 'b', 'c'], { a: 1, b: 2, c: 3 }, ['a', 'b', 'c']],
      [
        'ties keep chain order',
        ['a', 'b', 'c', 'd'],
        { a: 200, b: 100, c: 200, d: 100 },
        ['b', 'd', 'a', 'c'],
      ],
      ['empty latency → chain order', ['c', 'a', 'b'], {}, ['c', 'a', 'b']],
      ['unmeasured first, in chain order', ['a', 'b', 'c', 'd'], { a: 5, c: 1 }, ['b', 'd', 'c', 'a']],
      ['zero latency is measured', ['a', 'b'], { a: 10, b: 0 }, ['b', 'a']],
      ['sub-ms latencies', ['a', 'b'], { a: 0.52, b: 0.51 }, ['b', 'a']],
      ['NaN counts as unmeasured', ['a', 'b'], { a: 10, b: Number.NaN }, ['b', 'a']],
      ['negative counts as unmeasured', ['a', 'b'], { a: 10, b: -1 }, ['b', 'a']],
      ['Infinity counts as unmeasured', ['a', 'b'], { a: 10, b: Number.POSITIVE_INFINITY }, ['b', 'a']],
    ])('%s', (_name, chain, table, expected) => {
      expect(orderChain(input('fastest', chain, { latencyMs: latencies(table), exploreRate: 0 }))).toEqual(
        expected,
      );
    });

    it('orders odd model names like any other', () => {
      const table = new Map([
        ['__proto__', 9],
        ['constructor', 3],
      ]);
      const latencyMs = (model: string) => table.get(model);
      expect(
        orderChain(input('fastest', ['__proto__', 'constructor', ''], { latencyMs, exploreRate: 0 })),
      ).toEqual(['', 'constructor', '__proto__']);
    });

    it('exploreRate 0 never reorders nor draws', () => {
      const chain = ['a', 'b', 'c'];
      const latencyMs = latencies({ a: 3, b: 1, c: 2 });
      for (let i = 0; i < 100; i++)
        expect(orderChain(input('fastest', chain, { latencyMs, exploreRate: 0, random: never }))).toEqual([
          'b',
          'c',
          'a',
        ]);
    });

    it.each<[string, number[], string[]]>([
      // name, random draws (coin, pick), expected order; sorted order is b, c, a
      ['coin above the rate: no exploring', [0.05], ['b', 'c', 'a']],
      ['coin below the rate, low pick: second to the front', [0.01, 0], ['c', 'b', 'a']],
      ['coin below the rate, high pick: last to the front', [0.04, 0.99], ['a', 'b', 'c']],
      ['pick of exactly 0.5 over two candidates: the last', [0, 0.5], ['a', 'b', 'c']],
      ['pick garbage (NaN) counts as 0', [0, Number.NaN], ['c', 'b', 'a']],
      ['pick out of range (1) counts as the last', [0, 1], ['a', 'b', 'c']],
      ['coin NaN: no exploring', [Number.NaN], ['b', 'c', 'a']],
    ])('explores: %s', (_name, draws, expected) => {
      const random = scripted(...draws);
      const latencyMs = latencies({ a: 3, b: 1, c: 2 });
      expect(orderChain(input('fastest', ['a', 'b', 'c'], { latencyMs, random }))).toEqual(expected);
      expect(random.calls()).toBe(draws.length);
    });

    it('uses exploreRate 0.05 by default', () => {
      const latencyMs = latencies({ a: 2, b: 1 });
      expect(orderChain(input('fastest', ['a', 'b'], { latencyMs, random: scripted(0.049, 0) }))).toEqual([
        'a',
        'b',
      ]);
      expect(orderChain(input('fastest', ['a', 'b'], { latencyMs, random: scripted(0.05) }))).toEqual([
        'b',
        'a',
      ]);
    });

    it.each<[string, number, string[]]>([
      ['NaN rate never explores', Number.NaN, ['b', 'a']],
      ['negative rate never explores', -1, ['b', 'a']],
      ['rate above 1 always explores', 7, ['a', 'b']],
    ])('%s', (_name, exploreRate, expected) => {
      const random = exploreRate > 0 ? scripted(0.999, 0) : never;
      const latencyMs = latencies({ a: 2, b: 1 });
      expect(orderChain(input('fastest', ['a', 'b'], { latencyMs, random, exploreRate }))).toEqual(expected);
    });

    it('explores each of the rest about equally, and is deterministic given the seed', () => {
      const latencyMs = latencies({ a: 1, b: 2, c: 3, d: 4 });
      const run = (seed: number) => {
        const random = mulberry32(seed);
        const fronts: Record<string, number> = { a: 0, b: 0, c: 0, d: 0 };
        for (let i = 0; i < 3_000; i++) {
          const out = orderChain(
            input('fastest', ['a', 'b', 'c', 'd'], { latencyMs, random, exploreRate: 0.5 }),
          );
          fronts[out[0]!]!++;
        }
        return fronts;
      };
      const fronts = run(42);
      expect(run(42)).toEqual(fronts);
      // Half the time a stays first; the other half, b, c or d each take 1/6.
      expect(fronts.a! / 3_000).toBeGreaterThan(0.45);
      expect(fronts.a! / 3_000).toBeLessThan(0.55);
      for (const model of ['b', 'c', 'd']) {
        expect(fronts[model]! / 3_000).toBeGreaterThan(0.13);
        expect(fronts[model]! / 3_000).toBeLessThan(0.2);
      }
    });
  });

  describe('cheapest', () => {
    const price = (inputUsdPer1M: number, outputUsdPer1M: number): { price: Price } => ({
      price: { inputUsdPer1M, outputUsdPer1M },
    });

    it.each<[string, string[], OrderInput['models'], number, number, string[]]>([
      // name, chain, models, prompt tokens, completion tokens, expected
      [
        'by estimated cost',
        ['big', 'mini', 'mid'],
        { big: price(5, 15), mini: price(0.15, 0.6), mid: price(1, 4) },
        1_000,
        500,
        ['mini', 'mid', 'big'],
      ],
      [
        'prompt-heavy request favours cheap input',
        ['cheapIn', 'cheapOut'],
        { cheapIn: price(1, 10), cheapOut: price(3, 2) },
        10_000,
        10,
        ['cheapIn', 'cheapOut'],
      ],
      [
        'completion-heavy request favours cheap output',
        ['cheapIn', 'cheapOut'],
        { cheapIn: price(1, 10), cheapOut: price(3, 2) },
        10,
        10_000,
        ['cheapOut', 'cheapIn'],
      ],
      [
        'ties keep chain order',
        ['a', 'b', 'c'],
        { a: price(2, 2), b: price(1, 1), c: price(2, 2) },
        100,
        100,
        ['b', 'a', 'c'],
      ],
      [
        'unpriced last, in chain order',
        ['x', 'a', 'y', 'b'],
        { a: price(2, 2), b: price(1, 1), x: {} },
        100,
        100,
        ['b', 'a', 'x', 'y'],
      ],
      ['free model first', ['a', 'free'], { a: price(1, 1), free: price(0, 0) }, 100, 100, ['free', 'a']],
      ['nothing priced → chain order', ['c', 'b', 'a'], {}, 100, 100, ['c', 'b', 'a']],
      [
        'zero tokens → every priced model ties',
        ['a', 'b', 'u'],
        { a: price(9, 9), b: price(1, 1) },
        0,
        0,
        ['a', 'b', 'u'],
      ],
      [
        'garbage token counts count as 0',
        ['a', 'b'],
        { a: price(1, 100), b: price(2, 1) },
        Number.NaN,
        -5,
        ['a', 'b'],
      ],
      [
        'Infinity tokens count as 0',
        ['a', 'b'],
        { a: price(2, 1), b: price(1, 2) },
        Number.POSITIVE_INFINITY,
        10,
        ['a', 'b'],
      ],
      [
        'garbage prices count as unpriced',
        ['nan', 'neg', 'inf', 'ok'],
        {
          nan: price(Number.NaN, 1),
          neg: price(-1, 1),
          inf: price(Number.POSITIVE_INFINITY, 1),
          ok: price(9, 9),
        },
        100,
        100,
        ['ok', 'nan', 'neg', 'inf'],
      ],
      [
        'inherited names are not models',
        ['constructor', 'toString', 'a'],
        { a: price(1, 1) },
        100,
        100,
        ['a', 'constructor', 'toString'],
      ],
    ])('%s', (_name, chain, models, promptTokens, completionTokens, expected) => {
      expect(orderChain(input('cheapest', chain, { models, promptTokens, completionTokens }))).toEqual(
        expected,
      );
    });
  });

  describe('weighted', () => {
    it('splits [3, 1] roughly 75/25 over many seeded draws', () => {
      const random = mulberry32(20_240_601);
      let aFirst = 0;
      const draws = 4_000;
      for (let i = 0; i < draws; i++) {
        const out = orderChain(input('weighted', ['a', 'b'], { weights: [3, 1], random }));
        expect([...out].sort()).toEqual(['a', 'b']);
        if (out[0] === 'a') aFirst++;
      }
      expect(aFirst / draws).toBeGreaterThan(0.7);
      expect(aFirst / draws).toBeLessThan(0.8);
    });

    it('orders the fallbacks by weight too (sampling without replacement)', () => {
      const random = mulberry32(5);
      const second: Record<string, number> = { a: 0, b: 0, c: 0 };
      let draws = 0;
      for (let i = 0; i < 6_000; i++) {
        const out = orderChain(input('weighted', ['a', 'b', 'c'], { weights: [2, 1, 1], random }));
        if (out[0] === 'a') {
          second[out[1]!]!++;
          draws++;
        }
      }
      // With a gone, b and c share the second place evenly.
      expect(second.a).toBe(0);
      expect(second.b! / draws).toBeGreaterThan(0.45);
      expect(second.b! / draws).toBeLessThan(0.55);
    });

    it.each<[string, string[], number[], number[], string[]]>([
      // name, chain, weights, random draws, expected
      ['low draw picks the first', ['a', 'b'], [3, 1], [0], ['a', 'b']],
      ['draw just under 3/4 still picks the first', ['a', 'b'], [3, 1], [0.7499], ['a', 'b']],
      ['draw at 3/4 picks the second', ['a', 'b'], [3, 1], [0.75], ['b', 'a']],
      ['three models: two draws', ['a', 'b', 'c'], [1, 1, 2], [0.6, 0.9], ['c', 'b', 'a']],
      ['zero weight goes last, without a draw', ['z', 'a', 'b'], [0, 1, 1], [0.9], ['b', 'a', 'z']],
      ['only one positive weight: no draw', ['a', 'b', 'c'], [0, 5, 0], [], ['b', 'a', 'c']],
      ['all zero → chain order, no draw', ['c', 'a', 'b'], [0, 0, 0], [], ['c', 'a', 'b']],
      [
        'garbage weights count as 0, in chain order at the end',
        ['nan', 'neg', 'inf', 'a', 'b'],
        [Number.NaN, -2, Number.POSITIVE_INFINITY, 1, 1],
        [0.1],
        ['a', 'b', 'nan', 'neg', 'inf'],
      ],
      ['missing weights count as 1', ['a', 'b', 'c'], [2], [0.6, 0.2], ['b', 'a', 'c']],
      ['no weights at all: uniform', ['a', 'b'], [], [0.5], ['b', 'a']],
      ['draw of 1 (out of range) picks the last', ['a', 'b'], [1, 1], [1], ['b', 'a']],
      ['draw NaN counts as 0', ['a', 'b'], [1, 1], [Number.NaN], ['a', 'b']],
      ['fractional weights', ['a', 'b'], [0.1, 0.3], [0.3], ['b', 'a']],
      ['huge weights', ['a', 'b'], [1e300, 1e300], [0.49], ['a', 'b']],
    ])('%s', (_name, chain, weights, draws, expected) => {
      const random = scripted(...draws);
      expect(orderChain(input('weighted', chain, { weights, random }))).toEqual(expected);
      expect(random.calls()).toBe(draws.length);
    });

    it('handles a weights array with holes or non-numbers', () => {
      const weights: number[] = new Array(4);
      weights[0] = 1;
      weights[2] = 'x' as unknown as number;
      weights[3] = 1;
      const random = scripted(0.9);
      expect(orderChain(input('weighted', ['a', 'b', 'c', 'd'], { weights, random }))).toEqual([
        'd',
        'a',
        'b',
        'c',
      ]);
    });
  });
});

describe('estimatePromptTokens', () => {
  const text = (n: number) => 'x'.repeat(n);

  it.each<[string, unknown, number]>([
    ['string content, chars / 4 rounded up', [{ role: 'user', content: text(10) }], 3],
    ['exact multiple of 4', [{ role: 'user', content: text(400) }], 100],
    [
      'several messages add up',
      [
        { role: 'system', content: text(40) },
        { role: 'user', content: text(40) },
      ],
      20,
    ],
    [
      'array content parts: text counts, images do not',
      [
        {
          role: 'user',
          content: [
            { type: 'text', text: text(20) },
            { type: 'image_url', image_url: { url: `data:image/png;base64,${text(10_000)}` } },
            { type: 'text', text: text(20) },
          ],
        },
      ],
      10,
    ],
    ['bare string parts count', [{ role: 'user', content: [text(8), text(8)] }], 4],
    [
      'tool-call names and arguments count',
      [
        {
          role: 'assistant',
          content: null,
          tool_calls: [{ function: { name: text(4), arguments: text(36) } }],
        },
      ],
      10,
    ],
    ['empty array → 1', [], 1],
    ['empty content → 1', [{ role: 'user', content: '' }], 1],
    ['undefined → 1', undefined, 1],
    ['null → 1', null, 1],
    ['a string, not an array → 1', text(1_000), 1],
    ['an object, not an array → 1', { content: text(1_000) }, 1],
    ['a number → 1', 42, 1],
    [
      'garbage entries are skipped',
      [
        null,
        7,
        'hello',
        [text(100)],
        { content: text(8) },
        { content: 12 },
        { content: { text: text(100) } },
      ],
      2,
    ],
    [
      'garbage parts are skipped',
      [{ content: [null, 5, { text: 9 }, { type: 'text' }, [text(100)], { text: text(4) }] }],
      1,
    ],
    [
      'garbage tool calls are skipped',
      [
        { tool_calls: [null, { function: null }, { function: { arguments: { a: 1 } } }, 'call'] },
        { tool_calls: 'x' },
      ],
      1,
    ],
    ['a sparse array', Object.assign(new Array(3), { 1: { content: text(8) } }), 2],
    ['unicode counts UTF-16 code units', [{ content: '😀😀' }], 1],
  ])('%s', (_name, messages, expected) => {
    expect(estimatePromptTokens(messages)).toBe(expected);
  });
});
