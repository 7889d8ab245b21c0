import { describe, expect, it } from 'vitest';
import { UpstreamError } from '../upstream-error.js';
import {
  embedUnsupportedField,
  fromBatchEmbedResponse,
  MAX_GEMINI_BATCH,
  toBatchEmbedRequest,
} from './convert-embeddings.js';

const texts = (n: number) => ({ kind: 'text' as const, texts: Array.from({ length: n }, (_, i) => `t${i}`) });

describe('Gemini embeddings translation', () => {
  it('one request per text, dimensions as outputDimensionality, user not sent', () => {
    expect(
      toBatchEmbedRequest({
        inputs: texts(2),
        upstreamModel: 'models/gemini-embedding-001',
        dimensions: 3,
        user: 'u',
      }),
    ).toEqual({
      requests: [
        {
          model: 'models/gemini-embedding-001',
          content: { parts: [{ text: 't0' }] },
          outputDimensionality: 3,
        },
        {
          model: 'models/gemini-embedding-001',
          content: { parts: [{ text: 't1' }] },
          outputDimensionality: 3,
        },
      ],
    });
  });

  it.each([
    [{ kind: 'tokens' as const, tokens: [[1]] }, /input as token arrays is not supported by gemini/],
    [texts(MAX_GEMINI_BATCH + 1), /more than 100 inputs/],
    [texts(MAX_GEMINI_BATCH), undefined],
  ])('what Gemini cannot honour: %#', (inputs, problem) => {
    const found = embedUnsupportedField({ inputs, upstreamModel: 'm' });
    if (problem === undefined) expect(found).toBeUndefined();
    else expect(found).toMatch(problem);
  });

  it('reads vectors in order; estimates usage when Gemini reports none', () => {
    const text = JSON.stringify({ embeddings: [{ values: [1, 2] }, { values: [3, 4] }] });
    expect(fromBatchEmbedResponse(text, ['abcdefgh', 'x'], 'g')).toEqual({
      vectors: [
        [1, 2],
        [3, 4],
      ],
      usage: { prompt_tokens: 3, total_tokens: 3, estimated: true },
      model: 'g',
    });
  });

  it('takes a reported token count when there is one', () => {
    const text = JSON.stringify({ embeddings: [{ values: [1] }], usageMetadata: { promptTokenCount: 9 } });
    expect(fromBatchEmbedResponse(text, ['a'], 'g').usage).toEqual({ prompt_tokens: 9, total_tokens: 9 });
  });

  it.each([
    ['{', 'invalid JSON'],
    ['{}', 'no embeddings'],
    [JSON.stringify({ embeddings: [] }), '0 embeddings for 1 inputs'],
    [JSON.stringify({ embeddings: [{ values: ['x'] }] }), 'embedding 0 is not a list of numbers'],
    [JSON.stringify({ embeddings: [{}] }), 'embedding 0 is not a list of numbers'],
  ])('%s is a transient bad_response', (text, message) => {
    expect(() => fromBatchEmbedResponse(text, ['a'], 'g')).toThrow(UpstreamError);
    try {
      fromBatchEmbedResponse(text, ['a'], 'g');
    } catch (error) {
      expect(error).toMatchObject({ kind: 'transient', code: 'bad_response', providerMessage: message });
    }
  });
});
