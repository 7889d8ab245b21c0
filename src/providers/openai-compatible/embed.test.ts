import { describe, expect, it } from 'vitest';
import { UpstreamError } from '../upstream-error.js';
import { encodeFloat32Base64 } from '../vector-codec.js';
import { embeddingsBody, parseEmbeddings } from './embed.js';

const answer = (data: unknown[], extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    object: 'list',
    data,
    model: 'text-embedding-3-small',
    usage: { prompt_tokens: 5, total_tokens: 5 },
    ...extra,
  });

describe('embeddingsBody', () => {
  it.each([
    [
      { inputs: { kind: 'text' as const, texts: ['a'] }, upstreamModel: 'm' },
      { model: 'm', input: ['a'], encoding_format: 'float' },
    ],
    [
      { inputs: { kind: 'tokens' as const, tokens: [[1, 2]] }, upstreamModel: 'm', dimensions: 4, user: 'u' },
      { model: 'm', input: [[1, 2]], encoding_format: 'float', dimensions: 4, user: 'u' },
    ],
  ])('%j → %j', (request, body) => {
    expect(embeddingsBody(request)).toEqual(body);
  });
});

describe('parseEmbeddings', () => {
  it('places vectors by index, reads usage and the model', () => {
    const text = answer([
      { object: 'embedding', index: 1, embedding: [0.5, 0.25] },
      { object: 'embedding', index: 0, embedding: [1, 0] },
    ]);
    expect(parseEmbeddings(text, 2, 'fallback-name')).toEqual({
      vectors: [
        [1, 0],
        [0.5, 0.25],
      ],
      usage: { prompt_tokens: 5, total_tokens: 5 },
      model: 'text-embedding-3-small',
    });
  });

  it('reads base64 from a server that ignores encoding_format, and missing usage as 0', () => {
    const text = JSON.stringify({ data: [{ index: 0, embedding: encodeFloat32Base64([0.5, -2]) }] });
    expect(parseEmbeddings(text, 1, 'm')).toEqual({
      vectors: [[0.5, -2]],
      usage: { prompt_tokens: 0, total_tokens: 0 },
      model: 'm',
    });
  });

  it.each([
    ['invalid JSON', '{"data":', 'invalid JSON'],
    ['no data', '{"object":"list"}', 'no data'],
    ['too few vectors', answer([{ index: 0, embedding: [1] }]), '1 embeddings for 2 inputs'],
    [
      'a repeated index',
      answer([
        { index: 0, embedding: [1] },
        { index: 0, embedding: [2] },
      ]),
      'embedding index 0 is out of place',
    ],
    [
      'an index out of range',
      answer([
        { index: 0, embedding: [1] },
        { index: 7, embedding: [2] },
      ]),
      'embedding index 7 is out of place',
    ],
    [
      'a non-number',
      answer([
        { index: 0, embedding: [1] },
        { index: 1, embedding: ['x'] },
      ]),
      'embedding 1 is not a list of numbers',
    ],
    [
      'an empty vector',
      answer([
        { index: 0, embedding: [] },
        { index: 1, embedding: [1] },
      ]),
      'embedding 0 is not a list of numbers',
    ],
  ])('%s is a transient bad_response', (_name, text, message) => {
    let thrown: unknown;
    try {
      parseEmbeddings(text, 2, 'm');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(UpstreamError);
    expect(thrown).toMatchObject({ kind: 'transient', code: 'bad_response', providerMessage: message });
  });
});
