import { toOpenAIError } from '../../wire/to-openai-error.js';
import type { ChatService, RequestObserver } from '../chat-completions.js';
import { callEngine } from '../engine-call.js';
import type { Endpoint } from '../types.js';
import { responseFromCompletion } from './from-engine.js';
import { responsesFrames } from './stream-frames.js';
import { responsesToEngine } from './to-engine.js';
import { type ResponsesRequest, validateResponsesRequest } from './validate-responses.js';

export interface ResponsesEndpointDeps {
  service: ChatService;
  maxBodyBytes: number;
  observer?: RequestObserver;
}

/**
 * `POST /v1/responses`: OpenAI's Responses API, stateless, on any configured model: the body is
 * translated to the engine's chat form and the answer (JSON or the Responses event stream) back.
 * Errors are OpenAI's shape, as the Responses API answers them.
 */
export function responsesEndpoint(deps: ResponsesEndpointDeps): Endpoint {
  return {
    method: 'POST',
    path: '/v1/responses',
    listed: true,
    async handle(request) {
      const parsed = await request.json(deps.maxBodyBytes);
      let validated: ResponsesRequest | undefined;
      return callEngine({
        operation: 'responses',
        service: deps.service,
        ...(deps.observer ? { observer: deps.observer } : {}),
        request,
        translate: () => {
          validated = validateResponsesRequest(parsed);
          return responsesToEngine(validated);
        },
        toJson: (completion, meta, debug) =>
          responseFromCompletion(validated as ResponsesRequest, completion, meta, debug),
        toFrames: (result, debug) => responsesFrames(validated as ResponsesRequest, result, debug),
        toError: toOpenAIError,
      });
    },
  };
}
