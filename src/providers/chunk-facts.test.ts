import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { factsOf, scanTextChunk } from './chunk-facts.js';
import type { ChatCompletionChunk } from './types.js';

const text = (content: string, extra = '') =>
  `{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"m"${extra},"choices":[{"index":0,"delta":{"content":${JSON.stringify(content)}},"logprobs":null,"finish_reason":null}],"usage":null}`;

describe('scanTextChunk', () => {
  it('reads a plain text chunk without parsing it, exactly as parsing would', () => {
    for (const json of [
      text('Hello'),
      text(''),
      text('quote " backslash \\ newline \n tab \t unicode é 中文 \u2028 emoji 🎉'),
      '{"id":"x","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}',
      '{"choices":[{"index":0,"delta":{"content":"w0 "},"finish_reason":null}],"usage":null,"obfuscation":"a1"}',
    ]) {
      const facts = scanTextChunk(json);
      expect(facts, json).toBeDefined();
      expect(facts).toEqual(factsOf(JSON.parse(json) as ChatCompletionChunk));
    }
  });

  it('leaves every other shape to the parser', () => {
    for (const json of [
      '{"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}', // a finish
      '{"choices":[],"usage":{"prompt_tokens":1,"completion_tokens":1,"total_tokens":2}}', // usage
      '{"choices":[{"index":0,"delta":{"tool_calls":[{"index":0}]},"finish_reason":null}]}',
      '{"error":null,"choices":[{"index":0,"delta":{"content":"x"},"finish_reason":null}]}', // error key
      '{"choices":[{"index":0,"delta":{"content":"x"},"finish_reason":null}],"error":{"message":"m"}}',
      '{"choices":[{"index":1,"delta":{"content":"x"},"finish_reason":null}]}', // another choice
      '{"choices":[{"index":0,"delta":{"content":"x"},"finish_reason":null},{"index":1}]}', // two choices
      '{"choices":[{"index":0,"delta":{"content":"x","refusal":"no"},"finish_reason":null}]}',
      '{"choices":[{"index":0,"delta":{"content":"bad \u0001 control"},"finish_reason":null}]}', // invalid JSON
      '{"choices":[{"index":0,"delta":{"content":"bad \\x escape"},"finish_reason":null}]}', // invalid JSON
      '{"choices":[{"index":0,"delta":{"content":"x"},"finish_reason":null}],"choices":[]}', // repeated key
      '{"usage":null,"choices":[{"index":0,"delta":{"content":"x"},"finish_reason":null}]}',
      '{"x":{"nested":1},"choices":[{"index":0,"delta":{"content":"x"},"finish_reason":null}]}',
      ' {"choices":[{"index":0,"delta":{"content":"x"},"finish_reason":null}]}', // whitespace
    ]) {
      expect(scanTextChunk(json), json).toBeUndefined();
    }
  });

  it('never disagrees with parsing, whatever the chunk (property)', () => {
    const scalar = fc.oneof(fc.string(), fc.integer(), fc.constant(null), fc.boolean());
    const topKey = fc.constantFrom('id', 'object', 'created', 'model', 'system_fingerprint', 'error', 'x_y');
    const delta = fc.record(
      {
        role: fc.constantFrom('assistant', 'user'),
        content: fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), fc.constant(null)),
        tool_calls: fc.array(fc.record({ index: fc.nat(3) }), { maxLength: 2 }),
        refusal: fc.constant(null),
      },
      { requiredKeys: [] },
    );
    const choice = fc.record(
      {
        index: fc.nat(2),
        delta,
        logprobs: fc.constant(null),
        finish_reason: fc.oneof(fc.constant(null), fc.constantFrom('stop', 'length')),
      },
      { requiredKeys: ['index', 'delta'] },
    );
    const anyChunk = fc.record({
      before: fc.array(fc.tuple(topKey, scalar), { maxLength: 4 }),
      choices: fc.array(choice, { minLength: 0, maxLength: 2 }),
      usage: fc.oneof(fc.constant(undefined), fc.constant(null), fc.constant({ prompt_tokens: 1 })),
      after: fc.array(fc.tuple(topKey, scalar), { maxLength: 2 }),
    });
    // Near the fast path's shape, so that both of its answers are exercised.
    const textChunk = fc.record({
      before: fc.array(fc.tuple(topKey, fc.oneof(fc.stringMatching(/^[\w-]*$/), fc.integer())), {
        maxLength: 4,
      }),
      choices: fc.tuple(
        fc.record(
          {
            index: fc.constant(0),
            delta: fc.record(
              { role: fc.constant('assistant'), content: fc.string({ unit: 'grapheme' }) },
              { requiredKeys: ['content'] },
            ),
            logprobs: fc.constant(null),
            finish_reason: fc.constant(null),
          },
          { requiredKeys: ['index', 'delta', 'finish_reason'] },
        ),
      ),
      usage: fc.constantFrom(undefined, null),
      after: fc.array(fc.tuple(topKey, fc.constant(null)), { maxLength: 2 }),
    });
    const chunk = fc.oneof(anyChunk, textChunk);
    let scanned = 0;
    fc.assert(
      fc.property(chunk, ({ before, choices, usage, after }) => {
        const entries: [string, unknown][] = [...before, ['choices', choices]];
        if (usage !== undefined) entries.push(['usage', usage]);
        entries.push(...after);
        const json = `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(',')}}`;
        const facts = scanTextChunk(json);
        if (facts !== undefined) {
          scanned++;
          const parsed = JSON.parse(json) as ChatCompletionChunk & { error?: unknown };
          expect(parsed.error).toBeUndefined();
          expect(facts).toEqual(factsOf(parsed));
        }
      }),
      { seed: 14, numRuns: 2000 },
    );
    expect(scanned).toBeGreaterThan(50); // the fast path was exercised, not only the fallback
  });
});
