import type { EmbeddingInputs, EmbeddingRequestBody } from '../../providers/embedding-types.js';
import { InvalidRequestError } from '../errors.js';

/** The most inputs one embeddings request may carry (OpenAI's own limit). */
export const MAX_EMBEDDING_INPUTS = 2048;

const invalid = (message: string) => new InvalidRequestError('invalid_request', message, 'input');
const isTokenArray = (value: unknown): value is number[] =>
  Array.isArray(value) && value.length > 0 && value.every((n) => Number.isInteger(n) && n >= 0);

/**
 * `input` in its four OpenAI forms (a string, a list of strings, a token array, a list of token
 * arrays) as one list. Library callers reach this unvalidated, so the shape is checked. Pure.
 */
export function normaliseInputs(input: EmbeddingRequestBody['input'] | unknown): EmbeddingInputs {
  if (typeof input === 'string') return { kind: 'text', texts: [input] };
  if (!Array.isArray(input) || input.length === 0)
    throw invalid('input: must be a string, a non-empty list of strings, or token arrays');
  if (input.length > MAX_EMBEDDING_INPUTS)
    throw invalid(`input: at most ${MAX_EMBEDDING_INPUTS} inputs per request (got ${input.length})`);
  if (input.every((item) => typeof item === 'string')) return { kind: 'text', texts: input as string[] };
  if (isTokenArray(input)) return { kind: 'tokens', tokens: [input] };
  if (input.every(isTokenArray)) return { kind: 'tokens', tokens: input as number[][] };
  throw invalid(
    'input: must be a string, a list of strings, a token array, or a list of token arrays (not a mix)',
  );
}

/** Tokens the inputs are likely to count (about 4 characters a token), for tpm limits. Pure. */
export function estimateInputTokens(inputs: EmbeddingInputs): number {
  if (inputs.kind === 'tokens') return inputs.tokens.reduce((sum, t) => sum + t.length, 0);
  return inputs.texts.reduce((sum, t) => sum + Math.ceil(t.length / 4), 0);
}
