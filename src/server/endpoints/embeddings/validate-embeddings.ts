import { z } from 'zod';
import type { EmbeddingRequestBody } from '../../../providers/embedding-types.js';
import { invalidRequest } from '../../wire/gateway-error.js';

const INPUT_FORM = 'must be a string, a list of strings, a token array, or a list of token arrays';
const token = z.int().min(0);

/**
 * OpenAI's embeddings body. Strict: a field we do not know is refused by name (never silently
 * dropped), since every field of this endpoint changes the vectors or how they are sent.
 */
const embeddingsRequest = z.strictObject({
  model: z.string({ error: 'is required: a route or an embedding model' }).min(1),
  input: z.union(
    [z.string(), z.array(z.string()).min(1), z.array(token).min(1), z.array(z.array(token).min(1)).min(1)],
    { error: INPUT_FORM },
  ),
  dimensions: z.int().positive().nullish(),
  encoding_format: z.enum(['float', 'base64']).nullish(),
  user: z.string().nullish(),
});

/** Validates a parsed embeddings body; a problem becomes a 400 naming the field. Nulls read as absent. */
export function validateEmbeddingsRequest(body: unknown): EmbeddingRequestBody {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw invalidRequest('The request body must be a JSON object with `model` and `input`.');
  }
  const result = embeddingsRequest.safeParse(body);
  if (!result.success) {
    const issue = result.error.issues[0];
    if (issue?.code === 'unrecognized_keys') {
      const field = issue.keys[0] ?? '';
      throw invalidRequest(
        `${field}: is not supported by /v1/embeddings (fields: model, input, dimensions, encoding_format, user)`,
        field,
        'unsupported_field',
      );
    }
    const path = issue?.path.map(String).join('.') ?? '';
    const field = path.replace(/\.\d+.*$/, '');
    throw invalidRequest(`${path ? `${path}: ` : ''}${issue?.message ?? 'invalid value'}`, field || null);
  }
  const { model, input, dimensions, encoding_format, user } = result.data;
  return {
    model,
    input,
    ...(dimensions != null ? { dimensions } : {}),
    ...(encoding_format != null ? { encoding_format } : {}),
    ...(user != null ? { user } : {}),
  };
}
