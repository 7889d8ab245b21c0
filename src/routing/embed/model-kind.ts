import type { ModelConfig, SwitchboardConfig } from '../../config/types.js';
import { InvalidRequestError } from '../errors.js';

/**
 * Which operation a chain's models serve, checked per request (config loading already refuses routes
 * and fallbacks that mix kinds or spaces; this catches a client naming the wrong kind of model, or an
 * explicit route of the other kind). Pure apart from throwing.
 */

/** Chat completions take only chat models: an embedding model in the chain is a 400 naming it. */
export function assertChatChain(config: SwitchboardConfig, chain: readonly string[]): void {
  for (const id of chain) {
    if (config.models[id]?.embedding !== undefined) {
      throw new InvalidRequestError(
        'model_kind_mismatch',
        `"${id}" is an embedding model; send it to /v1/embeddings (sb.embed), not to chat completions`,
        'model',
      );
    }
  }
}

/**
 * Embeddings take only embedding models of one space; `dimensions` may shorten vectors, never
 * lengthen them past what the space declares.
 */
export function assertEmbeddingChain(
  config: SwitchboardConfig,
  chain: readonly string[],
  dimensions: number | undefined,
): void {
  let head: ModelConfig | undefined;
  for (const id of chain) {
    const model = config.models[id] as ModelConfig;
    const spec = model.embedding;
    if (spec === undefined) {
      throw new InvalidRequestError(
        'model_kind_mismatch',
        `"${id}" is a chat model (it declares no embedding:); /v1/embeddings serves only embedding models`,
        'model',
      );
    }
    if (head?.embedding && head.embedding.space !== spec.space) {
      throw new InvalidRequestError(
        'model_kind_mismatch',
        `"${id}" produces vectors of space "${spec.space}" but "${head.id}" produces "${head.embedding.space}"; one request never mixes spaces`,
        'model',
      );
    }
    head ??= model;
  }
  const declared = head?.embedding?.dimensions;
  if (dimensions !== undefined && declared !== undefined && dimensions > declared) {
    throw new InvalidRequestError(
      'invalid_request',
      `dimensions: ${dimensions} is more than "${head?.id}" produces (${declared})`,
      'dimensions',
    );
  }
}
