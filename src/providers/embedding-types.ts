import type { AbortSignalLike } from '../common/linked-abort.js';

/**
 * The embeddings half of the provider contract (types only): what the engine asks of an upstream that
 * turns inputs into vectors, and what it gets back. The wire shape callers see (OpenAI's list, floats
 * or base64) is the endpoint's business; adapters deal in plain numbers.
 */

/**
 * The inputs of one embeddings request, always a list: texts, or token-id arrays (OpenAI's tokenised
 * form; only wires that take token ids can honour it).
 */
export type EmbeddingInputs =
  | { kind: 'text'; texts: readonly string[] }
  | { kind: 'tokens'; tokens: readonly (readonly number[])[] };

/** An OpenAI embeddings request body as the engine takes it (validated by the endpoint or `sb.embed`). */
export interface EmbeddingRequestBody {
  /** A route name or a configured embedding model. */
  model?: string;
  /** A string, a list of strings, a token array, or a list of token arrays. */
  input: string | readonly string[] | readonly number[] | readonly (readonly number[])[];
  /** Shorten the vectors to this many dimensions (models that support it). */
  dimensions?: number;
  /** How the endpoint encodes vectors on the wire; the engine always works in floats. */
  encoding_format?: 'float' | 'base64';
  /** The caller's end-user id, passed to wires that take one. */
  user?: string;
}

export interface EmbeddingRequest {
  inputs: EmbeddingInputs;
  /** The model name to send upstream. */
  upstreamModel: string;
  dimensions?: number;
  user?: string;
  /** Aborts the upstream request (caller gone, deadline, timeout, hedge lost). */
  signal: AbortSignalLike;
}

export interface EmbeddingUsage {
  prompt_tokens: number;
  total_tokens: number;
  /** The upstream reported no token count, so the adapter estimated it (Gemini's embeddings). */
  estimated?: boolean;
}

export interface EmbeddingResult {
  /** One vector per input, in input order. */
  vectors: number[][];
  usage: EmbeddingUsage;
  /** The model the upstream says answered. */
  model: string;
}
