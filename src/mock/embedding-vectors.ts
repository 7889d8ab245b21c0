import { mulberry32 } from '../common/seeded-random.js';
import type { AuthCheck } from './auth.js';

/** The settings the simulated embeddings answers need. */
export interface EmbeddingConfig {
  name: string;
  auth: AuthCheck;
  latencyMs: number;
  /** Vector length when the request asks for no `dimensions`. */
  dimensions: number;
}

/** The default vector length of a simulated embedding model (text-embedding-3-small's). */
export const DEFAULT_EMBEDDING_DIMENSIONS = 1536;

/** FNV-1a over a string: the seed of an input's vector. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * A deterministic unit vector for one input of one model: the same model and input give the same
 * vector on every simulator (so the same model on two providers answers alike), another model or
 * input another vector. Token arrays are seeded by their ids.
 */
export function embeddingVector(model: string, input: string | readonly number[], dimensions: number) {
  const key = typeof input === 'string' ? input : `tokens:${input.join(',')}`;
  const random = mulberry32(hash(`${model}\u0000${key}`));
  const vector = Array.from({ length: dimensions }, () => random() * 2 - 1);
  const norm = Math.sqrt(vector.reduce((sum, v) => sum + v * v, 0)) || 1;
  // Rounded to float32 precision, so a base64 round trip gives back the very same numbers.
  return vector.map((v) => Math.fround(v / norm));
}

/** Tokens an input counts: ids for token arrays, about 4 characters a token for text (at least 1). */
export function inputTokens(input: string | readonly number[]): number {
  return typeof input === 'string' ? Math.max(1, Math.ceil(input.length / 4)) : input.length;
}
