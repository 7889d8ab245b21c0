import type { EmbeddingResult } from '../../../providers/embedding-types.js';
import { encodeFloat32Base64 } from '../../../providers/vector-codec.js';

/** OpenAI's embeddings answer. */
export interface EmbeddingsList {
  object: 'list';
  data: Array<{ object: 'embedding'; index: number; embedding: number[] | string }>;
  model: string;
  usage: { prompt_tokens: number; total_tokens: number };
}

/**
 * The engine's result in OpenAI's list shape: floats, or `base64` (little-endian float32 bytes, as
 * OpenAI sends them and its SDK decodes them by default). Pure.
 */
export function toEmbeddingsList(result: EmbeddingResult, format: 'float' | 'base64'): EmbeddingsList {
  return {
    object: 'list',
    data: result.vectors.map((vector, index) => ({
      object: 'embedding',
      index,
      embedding: format === 'base64' ? encodeFloat32Base64(vector) : vector,
    })),
    model: result.model,
    usage: { prompt_tokens: result.usage.prompt_tokens, total_tokens: result.usage.total_tokens },
  };
}
