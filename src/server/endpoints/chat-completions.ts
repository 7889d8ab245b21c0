import { merged } from '../../common/merged.js';
import { rawJsonOf } from '../../providers/raw-json.js';
import type { ChatRequestBody } from '../../providers/types.js';
import type { ResultMetadata } from '../../routing/index.js';
import {
  type ChatResult,
  RequestFailedError,
  type RequestOptions,
  type StreamResult,
} from '../../routing/index.js';
import { debugView, metadataHeaders } from '../wire/metadata-headers.js';
import { readRequestHeaders } from '../wire/request-headers.js';
import { SSE_HEADERS, sseFrames } from '../wire/sse-frames.js';
import { toOpenAIError } from '../wire/to-openai-error.js';
import { validateChatRequest } from '../wire/validate-chat.js';
import type { Endpoint, WireResponse } from './types.js';

/** What the chat endpoints need of the engine (routing's Engine is one). */
export interface ChatService {
  chat(body: ChatRequestBody, options?: RequestOptions): Promise<ChatResult>;
  stream(body: ChatRequestBody, options?: RequestOptions): Promise<StreamResult>;
}

/** The gateway's request metrics (telemetry's GatewayMetrics is one); the library has none. */
export interface RequestObserver {
  requestStarted(): void;
  requestEnded(): void;
  /** Non-streaming only: total time and the time spent on (or waiting for) upstreams, ms. */
  observeOverhead(totalMs: number, upstreamMs: number): void;
}

export interface ChatEndpointDeps {
  service: ChatService;
  maxBodyBytes: number;
  observer?: RequestObserver;
}

/** `POST /v1/chat/completions`: validate, run through the engine, answer as JSON or SSE. */
export function chatCompletionsEndpoint(deps: ChatEndpointDeps): Endpoint {
  const { service, observer } = deps;
  return {
    method: 'POST',
    path: '/v1/chat/completions',
    listed: true,
    async handle(request) {
      const startedMs = performance.now();
      const parsed = await request.json(deps.maxBodyBytes);
      observer?.requestStarted();
      const { options, debug } = readRequestHeaders(request);
      let metadata: ResultMetadata | undefined;
      let streamed = false;
      const ended = () => {
        observer?.requestEnded();
        if (metadata && !streamed) observeOverhead(observer, startedMs, metadata);
      };
      try {
        const body = validateChatRequest(parsed);
        if (body.stream === true) {
          streamed = true;
          const result = await service.stream(body, options);
          metadata = result.metadata;
          return {
            kind: 'sse',
            status: 200,
            headers: merged(SSE_HEADERS, metadataHeaders(result.metadata, false)),
            frames: sseFrames(result, debug),
            cancel: () => result.cancel(),
            shutdown: () => result.shutdown(),
            onEnd: ended,
          };
        }
        const { completion, metadata: meta } = await service.chat(body, options);
        metadata = meta;
        // An unchanged upstream answer goes out as the upstream's own text (no second serialisation).
        const payload = debug
          ? { ...completion, switchboard: debugView(meta) }
          : (rawJsonOf(completion) ?? completion);
        return {
          kind: 'json',
          status: 200,
          headers: metadataHeaders(meta, true),
          body: payload,
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

/** The gateway's own cost: total time minus time spent on (or waiting for) upstreams. Non-streaming only. */
function observeOverhead(observer: RequestObserver | undefined, startedMs: number, meta: ResultMetadata) {
  if (!observer) return;
  let upstreamMs = 0;
  for (const a of meta.attempts) upstreamMs += a.durationMs + a.waitBeforeMs;
  observer.observeOverhead(performance.now() - startedMs, upstreamMs);
}
