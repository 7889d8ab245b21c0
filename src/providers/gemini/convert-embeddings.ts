import type { EmbeddingRequest, EmbeddingResult } from '../embedding-types.js';
import { UpstreamError } from '../upstream-error.js';

/** The most inputs one `batchEmbedContents` call takes (the Gemini API's limit). */
export const MAX_GEMINI_BATCH = 100;

/** What Gemini cannot honour in an embeddings request, named; undefined when it can. Pure. */
export function embedUnsupportedField(request: Omit<EmbeddingRequest, 'signal'>): string | undefined {
  if (request.inputs.kind === 'tokens')
    return 'input as token arrays is not supported by gemini models (send the text instead)';
  if (request.inputs.texts.length > MAX_GEMINI_BATCH)
    return `input: more than ${MAX_GEMINI_BATCH} inputs in one request is not supported by gemini models`;
  return undefined;
}

/**
 * The `batchEmbedContents` body: one request per text, each naming the model, `dimensions` as
 * `outputDimensionality`. `user` is knowingly not sent (Gemini has no end-user id; it changes no
 * vector). Pure; callers check `embedUnsupportedField` first.
 */
export function toBatchEmbedRequest(request: Omit<EmbeddingRequest, 'signal'>): Record<string, unknown> {
  const texts = request.inputs.kind === 'text' ? request.inputs.texts : [];
  const model = `models/${request.upstreamModel.replace(/^models\//, '')}`;
  return {
    requests: texts.map((text) => ({
      model,
      content: { parts: [{ text }] },
      ...(request.dimensions !== undefined ? { outputDimensionality: request.dimensions } : {}),
    })),
  };
}

const badResponse = (providerMessage: string, cause?: unknown) =>
  new UpstreamError({ kind: 'transient', code: 'bad_response', status: 200, providerMessage, cause });

/**
 * A `batchEmbedContents` answer (`{ embeddings: [{ values }] }`) in the engine's form. The Gemini API
 * reports no token count for embeddings, so unless the answer carries `usageMetadata.promptTokenCount`
 * the usage is estimated (about 4 characters a token) and marked `estimated`. Pure.
 */
export function fromBatchEmbedResponse(
  text: string,
  texts: readonly string[],
  upstreamModel: string,
): EmbeddingResult {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    throw badResponse('invalid JSON', cause);
  }
  const root = parsed as { embeddings?: unknown; usageMetadata?: { promptTokenCount?: unknown } } | null;
  if (!root || typeof root !== 'object' || !Array.isArray(root.embeddings))
    throw badResponse('no embeddings');
  if (root.embeddings.length !== texts.length)
    throw badResponse(`${root.embeddings.length} embeddings for ${texts.length} inputs`);
  const vectors = root.embeddings.map((entry: unknown, i) => {
    const values = (entry as { values?: unknown } | null)?.values;
    if (!Array.isArray(values) || values.length === 0 || values.some((n) => !Number.isFinite(n)))
      throw badResponse(`embedding ${i} is not a list of numbers`);
    return values as number[];
  });
  const reported = root.usageMetadata?.promptTokenCount;
  if (typeof reported === 'number' && Number.isFinite(reported) && reported >= 0) {
    const prompt = Math.round(reported);
    return { vectors, usage: { prompt_tokens: prompt, total_tokens: prompt }, model: upstreamModel };
  }
  const estimate = texts.reduce((sum, t) => sum + Math.ceil(t.length / 4), 0);
  return {
    vectors,
    usage: { prompt_tokens: estimate, total_tokens: estimate, estimated: true },
    model: upstreamModel,
  };
}
