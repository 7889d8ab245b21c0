import type { SwitchboardConfig } from '../../config/types.js';
import { type ChatService, chatCompletionsEndpoint, type RequestObserver } from './chat-completions.js';
import { type EmbeddingService, embeddingsEndpoint } from './embeddings/embeddings-endpoint.js';
import { countTokensEndpoint } from './messages/count-tokens-endpoint.js';
import { messagesEndpoint } from './messages/messages-endpoint.js';
import { modelsEndpoint } from './models.js';
import { responsesEndpoint } from './responses/responses-endpoint.js';
import type { Endpoint } from './types.js';

export interface ApiDeps {
  config: SwitchboardConfig;
  service: ChatService & EmbeddingService;
  /** Seconds since the epoch: the `created` of `/v1/models`. */
  createdS: number;
  observer?: RequestObserver;
}

/**
 * The API both faces serve (the gateway and `sb.fetch`): one entry per endpoint. Adding an endpoint
 * is one line here plus its handler.
 */
export function apiEndpoints(deps: ApiDeps): Endpoint[] {
  const { config } = deps;
  return [
    chatCompletionsEndpoint({
      service: deps.service,
      maxBodyBytes: config.server.maxBodyBytes,
      ...(deps.observer ? { observer: deps.observer } : {}),
    }),
    embeddingsEndpoint({
      service: deps.service,
      maxBodyBytes: config.server.maxBodyBytes,
      ...(deps.observer ? { observer: deps.observer } : {}),
    }),
    modelsEndpoint(config, deps.createdS),
    responsesEndpoint({
      service: deps.service,
      maxBodyBytes: config.server.maxBodyBytes,
      ...(deps.observer ? { observer: deps.observer } : {}),
    }),
    messagesEndpoint({
      service: deps.service,
      maxBodyBytes: config.server.maxBodyBytes,
      ...(deps.observer ? { observer: deps.observer } : {}),
      isAnthropicModel: (id) => config.providers[config.models[id]?.provider ?? '']?.type === 'anthropic',
    }),
    countTokensEndpoint(config.server.maxBodyBytes),
  ];
}
