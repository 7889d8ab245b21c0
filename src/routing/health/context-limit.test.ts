import { describe, expect, it } from 'vitest';
import { parseContextLimit } from './context-limit.js';

describe('parseContextLimit', () => {
  it.each([
    [
      'OpenAI',
      "This model's maximum context length is 8192 tokens. However, your messages resulted in 9000 tokens. Please reduce the length of the messages.",
      { windowTokens: 8192, promptTokens: 9000 },
    ],
    [
      'OpenAI, prompt count not given',
      "This model's maximum context length is 8192 tokens. However, your messages resulted in more tokens.",
      { windowTokens: 8192 },
    ],
    [
      'vLLM',
      "This model's maximum context length is 4096 tokens. However, you requested 5000 tokens (4000 in the messages, 1000 in the completion).",
      { windowTokens: 4096, promptTokens: 5000 },
    ],
    [
      'Anthropic',
      'prompt is too long: 210000 tokens > 200000 maximum',
      { windowTokens: 200000, promptTokens: 210000 },
    ],
    [
      'Gemini',
      'The input token count (1200000) exceeds the maximum number of tokens allowed (1048576).',
      { windowTokens: 1048576, promptTokens: 1200000 },
    ],
    ['thousands separators', 'maximum context length is 128,000 tokens', { windowTokens: 128000 }],
    ['other wording', 'Requested tokens exceed context window of 32768 tokens', { windowTokens: 32768 }],
  ])('%s', (_name, message, expected) => {
    expect(parseContextLimit(message)).toEqual(expected);
  });

  it.each([
    ['no numbers', 'context length exceeded'],
    ['empty', ''],
    ['undefined', undefined],
    ['null', null],
    ['zero window', 'maximum context length is 0 tokens'],
    ['a huge number', `maximum context length is ${'9'.repeat(30)} tokens`],
    ['unrelated', 'Rate limit reached for 10000 tokens per minute'],
  ])('nothing from %s', (_name, message) => {
    expect(parseContextLimit(message as string | undefined)).toBeUndefined();
  });
});
