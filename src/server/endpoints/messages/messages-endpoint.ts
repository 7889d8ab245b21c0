import type { ResultMetadata } from '../../../routing/index.js';
import type { ChatService, RequestObserver } from '../chat-completions.js';
import { callEngine } from '../engine-call.js';
import type { Endpoint } from '../types.js';
import { messageFromCompletion } from './from-engine.js';
import { messagesFrames } from './stream-frames.js';
import { toAnthropicError } from './to-anthropic-error.js';
import { messagesToEngine } from './to-engine.js';
import { validateMessagesRequest } from './validate-messages.js';

export interface MessagesEndpointDeps {
  service: ChatService;
  maxBodyBytes: number;
  observer?: RequestObserver;
  /** Does this configured model answer on Anthropic's own wire (so nothing of the body was lost)? */
  isAnthropicModel(modelId: string): boolean;
}

/**
 * `POST /v1/messages`: Anthropic's Messages API, inbound, routed by `model` like chat completions.
 * The key comes as `x-api-key` or `Authorization: Bearer`; `anthropic-version` is accepted (the one
 * wire version there is), `anthropic-beta` is passed on to Anthropic upstreams. Errors are
 * Anthropic's shape and statuses. When a model of another vendor answered, the fields its wire could
 * not take are listed in `x-switchboard-dropped-fields`.
 */
export function messagesEndpoint(deps: MessagesEndpointDeps): Endpoint {
  return {
    method: 'POST',
    path: '/v1/messages',
    listed: true,
    apiKeyHeader: 'x-api-key',
    toError: toAnthropicError,
    async handle(request) {
      const parsed = await request.json(deps.maxBodyBytes);
      let dropped: string[] = [];
      return callEngine({
        operation: 'messages',
        service: deps.service,
        ...(deps.observer ? { observer: deps.observer } : {}),
        request,
        translate: () => {
          const translated = messagesToEngine(
            validateMessagesRequest(parsed),
            request.header('anthropic-beta'),
          );
          dropped = translated.dropped;
          return translated.body;
        },
        toJson: messageFromCompletion,
        toFrames: messagesFrames,
        toError: toAnthropicError,
        extraHeaders: (meta: ResultMetadata): Record<string, string> =>
          dropped.length > 0 && meta.model !== undefined && !deps.isAnthropicModel(meta.model)
            ? { 'x-switchboard-dropped-fields': dropped.join(', ') }
            : {},
      });
    },
  };
}
