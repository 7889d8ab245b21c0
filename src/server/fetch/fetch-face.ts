import type { WireRequest, WireResponse } from '../endpoints/types.js';
import type { FrontDoor } from '../front-door.js';
import { bodyTooLarge, declaredTooLarge, parseJsonBody } from '../wire/json-body.js';

export type FetchFunction = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/**
 * The front door as a Web fetch function, served in-process: `new OpenAI({ fetch: sb.fetch })` gets
 * fallback with no server. Any base URL works: the path is read from its last `/v1/` on (a path
 * without one is read as under `/v1`). Nothing leaves the process except the engine's upstream calls.
 */
export function createFetchFace(door: FrontDoor): FetchFunction {
  return async (input, init) => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    const wire: WireRequest = {
      method: request.method,
      path: apiPath(url.pathname),
      query: url.search.slice(1),
      header: (name) => request.headers.get(name) ?? undefined,
      json: async (limitBytes) => {
        if (declaredTooLarge(request.headers.get('content-length') ?? undefined, limitBytes))
          throw bodyTooLarge(limitBytes);
        const bytes = await request.arrayBuffer();
        if (bytes.byteLength > limitBytes) throw bodyTooLarge(limitBytes);
        return parseJsonBody(new TextDecoder().decode(bytes));
      },
      signal: request.signal,
    };
    return toResponse(await door(wire));
  };
}

/** `/openai/v1/chat/completions` → `/v1/chat/completions`; `/chat/completions` → `/v1/chat/completions`. */
function apiPath(pathname: string): string {
  const at = pathname.lastIndexOf('/v1/');
  if (at !== -1) return pathname.slice(at);
  return pathname === '/v1' ? pathname : `/v1${pathname.startsWith('/') ? '' : '/'}${pathname}`;
}

function toResponse(answer: WireResponse): Response {
  switch (answer.kind) {
    case 'json':
      answer.onEnd?.();
      return new Response(typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body), {
        status: answer.status,
        headers: { ...answer.headers, 'content-type': 'application/json' },
      });
    case 'text':
      answer.onEnd?.();
      return new Response(answer.body, {
        status: answer.status,
        headers: { ...answer.headers, 'content-type': answer.contentType },
      });
    case 'sse': {
      const encoder = new TextEncoder();
      const { frames } = answer;
      let ended = false;
      const end = () => {
        if (ended) return;
        ended = true;
        answer.onEnd?.();
      };
      const stream = new ReadableStream<Uint8Array>({
        async pull(controller) {
          const next = await frames.next();
          if (next.done) {
            controller.close();
            end();
          } else {
            const frame = next.value;
            // Bytes are copied: a view of the upstream's read would share its memory with the caller.
            controller.enqueue(typeof frame === 'string' ? encoder.encode(frame) : new Uint8Array(frame));
          }
        },
        cancel() {
          answer.cancel();
          void frames.return(undefined);
          end();
        },
      });
      return new Response(stream, { status: answer.status, headers: answer.headers });
    }
  }
}
