import type { EmbeddingRequestBody } from '../../../providers/embedding-types.js';
import {
  type EmbedResult,
  RequestFailedError,
  type RequestOptions,
  type ResultMetadata,
} from '../../../routing/index.js';
import { debugView, metadataHeaders } from '../../wire/metadata-headers.js';
import { readRequestHeaders } from '../../wire/request-headers.js';
import { toOpenAIError } from '../../wire/to-openai-error.js';
import type { RequestObserver } from '../chat-completions.js';
import type { Endpoint, WireResponse } from '../types.js';
import { toEmbeddingsList } from './to-embeddings-list.js';
import { validateEmbeddingsRequest } from './validate-embeddings.js';

/** What the embeddings endpoint needs of the engine (routing's Engine is one). */
export interface EmbeddingService {
  embed(body: EmbeddingRequestBody, options?: RequestOptions): Promise<EmbedResult>;
}

export interface EmbeddingsEndpointDeps {
  service: EmbeddingService;
  maxBodyBytes: number;
  observer?: RequestObserver;
}

/**
 * `POST /v1/embeddings`: validate, run through the engine's walk, answer OpenAI's list (floats or
 * base64) with the `x-switchboard-*` headers; errors in OpenAI's shape.
 */
export function embeddingsEndpoint(deps: EmbeddingsEndpointDeps): Endpoint {
  const { service, observer } = deps;
  return {
    method: 'POST',
    path: '/v1/embeddings',
    listed: true,
    async handle(request) {
      const parsed = await request.json(deps.maxBodyBytes);
      observer?.requestStarted();
      const { options, debug } = readRequestHeaders(request);
      let metadata: ResultMetadata | undefined;
      const ended = () => observer?.requestEnded();
      try {
        const body = validateEmbeddingsRequest(parsed);
        const { embedding, metadata: meta } = await service.embed(body, options);
        metadata = meta;
        const list = toEmbeddingsList(embedding, body.encoding_format ?? 'float');
        return {
          kind: 'json',
          status: 200,
          headers: metadataHeaders(meta, true),
          body: debug ? { ...list, switchboard: debugView(meta) } : list,
          onEnd: ended,
        };
      } catch (error) {
        if (error instanceof RequestFailedError) metadata = error.metadata;
        const wire = toOpenAIError(error);
        const headers = {
          'x-request-id': options.requestId,
          ...(metadata ? metadataHeaders(metadata, false) : {}),
          ...wire.headers,
        };
        const answer: WireResponse = { kind: 'json', status: wire.status, headers, body: wire.body };
        answer.onEnd = ended;
        return answer;
      }
    },
  };
}
