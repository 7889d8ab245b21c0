import type { SwitchboardConfig } from '../config/types.js';
import type { ChatRequestBody } from '../providers/types.js';
import type { Engine } from '../routing/index.js';
import { GatewayError, invalidRequest } from './wire/gateway-error.js';
import { debugView, metadataHeaders } from './wire/metadata-headers.js';
import { modelsList } from './wire/models-list.js';
import { readRequestHeaders } from './wire/request-headers.js';
import { sseFrames } from './wire/sse-frames.js';
import { toOpenAIError } from './wire/to-openai-error.js';
import { validateChatRequest } from './wire/validate-chat.js';

export type FetchFunction = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

const JSON_HEADERS = { 'content-type': 'application/json' };

/**
 * The OpenAI wire as a Web fetch function, served in-process: `new OpenAI({ fetch: sb.fetch })` gets
 * fallback with no server. Any base URL works; only the path's tail is read. Nothing leaves the
 * process except the engine's own upstream calls.
 */
export function createFetchHandler(
  engine: Engine,
  config: SwitchboardConfig,
  createdS: number,
): FetchFunction {
  return async (input, init) => {
    const request = new Request(input, init);
    const path = new URL(request.url).pathname;
    try {
      if (path.endsWith('/chat/completions')) {
        if (request.method !== 'POST')
          throw new GatewayError(405, 'invalid_request_error', 'method_not_allowed', 'Use POST.');
        return await chat(engine, request);
      }
      if (path.endsWith('/models') && request.method === 'GET') {
        return Response.json(modelsList(config, createdS));
      }
      throw new GatewayError(
        404,
        'invalid_request_error',
        'not_found',
        `No route for ${request.method} ${path}. Try POST /v1/chat/completions.`,
      );
    } catch (error) {
      const wire = toOpenAIError(error);
      return new Response(JSON.stringify(wire.body), {
        status: wire.status,
        headers: { ...JSON_HEADERS, ...wire.headers },
      });
    }
  };
}

async function chat(engine: Engine, request: Request): Promise<Response> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await request.text());
  } catch {
    throw invalidRequest('The request body is not valid JSON.');
  }
  const body: ChatRequestBody = validateChatRequest(parsed);
  const { options, debug } = readRequestHeaders((name) => request.headers.get(name), request.signal);

  if (body.stream === true) {
    const result = await engine.stream(body, options);
    const encoder = new TextEncoder();
    const frames = sseFrames(result, debug);
    const stream = new ReadableStream<Uint8Array>({
      async pull(controller) {
        const next = await frames.next();
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(next.value));
      },
      cancel() {
        result.cancel();
        void frames.return(undefined);
      },
    });
    const headers = {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      ...metadataHeaders(result.metadata, false),
    };
    return new Response(stream, { status: 200, headers });
  }

  const { completion, metadata } = await engine.chat(body, options);
  const payload = debug ? { ...completion, switchboard: debugView(metadata) } : completion;
  return new Response(JSON.stringify(payload), {
    status: 200,
    headers: { ...JSON_HEADERS, ...metadataHeaders(metadata, true) },
  });
}
