import { describe, expect, it } from 'vitest';
import { InvalidRequestError } from '../errors.js';
import { estimateInputTokens, MAX_EMBEDDING_INPUTS, normaliseInputs } from './embedding-inputs.js';

describe('normaliseInputs', () => {
  it.each([
    ['hello', { kind: 'text', texts: ['hello'] }],
    [['a', 'b'], { kind: 'text', texts: ['a', 'b'] }],
    [[1, 2, 3], { kind: 'tokens', tokens: [[1, 2, 3]] }],
    [[[1], [2, 3]], { kind: 'tokens', tokens: [[1], [2, 3]] }],
    [[''], { kind: 'text', texts: [''] }],
  ])('%j → %j', (input, inputs) => {
    expect(normaliseInputs(input)).toEqual(inputs);
  });

  it.each([
    [42],
    [null],
    [undefined],
    [[]],
    [['a', 1]],
    [[[1], 'a']],
    [[[]]],
    [[1.5]],
    [[-1]],
    [{ text: 'a' }],
    [Array.from({ length: MAX_EMBEDDING_INPUTS + 1 }, () => 'x')],
  ])('refuses %j with a 400 naming input', (input) => {
    expect(() => normaliseInputs(input)).toThrow(InvalidRequestError);
    try {
      normaliseInputs(input);
    } catch (error) {
      expect(error).toMatchObject({ code: 'invalid_request', param: 'input' });
    }
  });
});

describe('estimateInputTokens', () => {
  it.each([
    [{ kind: 'text' as const, texts: ['abcd', 'abcde', ''] }, 3],
    [{ kind: 'tokens' as const, tokens: [[1, 2], [3]] }, 3],
  ])('%j → %d', (inputs, tokens) => {
    expect(estimateInputTokens(inputs)).toBe(tokens);
  });
});
