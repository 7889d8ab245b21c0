import { merged } from '../../common/merged.js';
import type { ChatCompletion, ChatRequestBody } from '../../providers/types.js';
import type { Operation, ResultMetadata, StreamResult } from '../../routing/index.js';
import { RequestFailedError } from '../../routing/index.js';
import { metadataHeaders } from '../wire/metadata-headers.js';
import { readRequestHeaders } from '../wire/request-headers.js';
import { SSE_HEADERS } from '../wire/sse-frames.js';
import type { ChatService, RequestObserver } from './chat-completions.js';
import type { EndpointError, WireRequest, WireResponse } from './types.js';

/** What an endpoint of another wire gives `callEngine`: its body in the engine's form and its own answer shapes. */
export interface EngineCall {
  service: ChatService;
  observer?: RequestObserver;
  request: WireRequest;
  /** The caller's body, translated (throws a GatewayError on bad input: answered in `toError`'s shape). */
  translate(): ChatRequestBody;
  /** The completion in the endpoint's answer shape. */
  toJson(completion: ChatCompletion, meta: ResultMetadata, debug: boolean): unknown;
  /** The committed stream as the endpoint's SSE frames. */
  toFrames(result: StreamResult, debug: boolean): AsyncGenerator<string>;
  toError(error: unknown): EndpointError;
  /** The API operation, for traces (`responses`, `messages`). */
  operation: Operation;
  /** Extra answer headers once the answering model is known (e.g. notes about dropped fields). */
  extraHeaders?(meta: ResultMetadata): Record<string, string>;
}

/**
 * One request of a non-chat wire (Responses, Messages) through the same engine as chat completions:
 * the same request headers, metadata headers, observer calls and error mapping points, so every
 * resilience feature, event, metric and ledger row applies unchanged.
 */
export async function callEngine(call: EngineCall): Promise<WireResponse> {
  const { service, observer, request } = call;
  const startedMs = performance.now();
  observer?.requestStarted();
  const { options, debug } = readRequestHeaders(request);
  options.operation = call.operation;
  let metadata: ResultMetadata | undefined;
  let streamed = false;
  const ended = () => {
    observer?.requestEnded();
    if (metadata && !streamed && observer) {
      let upstreamMs = 0;
      for (const a of metadata.attempts) upstreamMs += a.durationMs + a.waitBeforeMs;
      observer.observeOverhead(performance.now() - startedMs, upstreamMs);
    }
  };
  try {
    const body = call.translate();
    if (body.stream === true) {
      streamed = true;
      const result = await service.stream(body, options);
      metadata = result.metadata;
      return {
        kind: 'sse',
        status: 200,
        headers: merged(
          SSE_HEADERS,
          metadataHeaders(result.metadata, false),
          call.extraHeaders?.(result.metadata),
        ),
        frames: call.toFrames(result, debug),
        cancel: () => result.cancel(),
        shutdown: () => result.shutdown(),
        onEnd: ended,
      };
    }
    const { completion, metadata: meta } = await service.chat(body, options);
    metadata = meta;
    return {
      kind: 'json',
      status: 200,
      headers: merged(metadataHeaders(meta, true), call.extraHeaders?.(meta) ?? {}),
      body: call.toJson(completion, meta, debug),
      onEnd: ended,
    };
  } catch (error) {
    if (error instanceof RequestFailedError) metadata = error.metadata;
    const wire = call.toError(error);
    const headers = {
      'x-request-id': options.requestId,
      ...(metadata ? metadataHeaders(metadata, false) : {}),
      ...wire.headers,
    };
    return { kind: 'json', status: wire.status, headers, body: wire.body, onEnd: ended };
  }
}
