import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import type { ServerResponse } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { systemClock } from '../common/clock.js';
import { type AbortSignalLike, LinkedAbort } from '../common/linked-abort.js';
import type { RequestOptions } from '../routing/engine.js';
import { RequestFailedError } from '../routing/errors.js';
import type { ResultMetadata } from '../routing/metadata.js';
import type { Switchboard } from '../switchboard.js';
import type { GatewayMetrics } from '../telemetry/metrics.js';
import { sendError } from './app.js';
import { debugView, metadataHeaders } from './wire/metadata-headers.js';
import { sseFrames } from './wire/sse-frames.js';
import { validateChatRequest } from './wire/validate-chat.js';

const SAFE_REQUEST_ID = /^[\w.:-]{1,128}$/;

/** `POST /v1/chat/completions`: validate, run through the engine, answer as JSON or SSE. */
export async function handleChat(
  sb: Switchboard,
  metrics: GatewayMetrics,
  request: FastifyRequest,
  reply: FastifyReply,
) {
  const startedMs = performance.now();
  metrics.requestStarted();
  const res = reply.raw;
  const client = new LinkedAbort(systemClock);
  const onClose = () => {
    if (!res.writableFinished) client.abort(new Error('the client disconnected'));
  };
  res.on('close', onClose);
  const header = (name: string) => {
    const v = request.headers[name];
    return typeof v === 'string' ? v : undefined;
  };
  const callerId = header('x-request-id');
  const requestId = callerId && SAFE_REQUEST_ID.test(callerId) ? callerId : randomUUID();
  const debug = header('x-switchboard-debug') === '1';
  const options: RequestOptions = { signal: client.signal, requestId };
  const route = header('x-switchboard-route');
  if (route !== undefined) options.route = route;
  let metadata: ResultMetadata | undefined;
  let streamed = false;
  try {
    const body = validateChatRequest(request.body);
    if (body.stream === true) {
      streamed = true;
      const result = await sb.stream(body, options);
      metadata = result.metadata;
      reply.hijack();
      res.writeHead(200, {
        'content-type': 'text/event-stream',
        'cache-control': 'no-cache',
        connection: 'keep-alive',
        ...metadataHeaders(result.metadata, false),
      });
      await pipeFrames(res, sseFrames(result, debug), client.signal, () => result.cancel());
      return;
    }
    const { completion, metadata: meta } = await sb.chat(body, options);
    metadata = meta;
    const payload = debug ? { ...completion, switchboard: debugView(meta) } : completion;
    return reply
      .headers(metadataHeaders(meta, true))
      .header('content-type', 'application/json')
      .send(JSON.stringify(payload));
  } catch (error) {
    if (error instanceof RequestFailedError) metadata = error.metadata;
    if (reply.sent || client.signal.aborted) return;
    reply.header('x-request-id', requestId);
    if (metadata) reply.headers(metadataHeaders(metadata, false));
    return sendError(reply, error);
  } finally {
    res.off('close', onClose);
    metrics.requestEnded();
    if (metadata && !streamed) observeOverhead(metrics, startedMs, metadata);
  }
}

async function pipeFrames(
  res: ServerResponse,
  frames: AsyncGenerator<string>,
  signal: AbortSignalLike,
  cancel: () => void,
) {
  const onAbort = () => cancel();
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    for await (const frame of frames) {
      if (signal.aborted) break;
      if (!res.write(frame)) await Promise.race([once(res, 'drain'), once(res, 'close')]);
    }
  } finally {
    signal.removeEventListener('abort', onAbort);
    if (!res.destroyed) res.end();
  }
}

/** The gateway's own cost: total time minus time spent on (or waiting for) upstreams. Non-streaming only. */
function observeOverhead(metrics: GatewayMetrics, startedMs: number, meta: ResultMetadata) {
  let upstreamMs = 0;
  for (const a of meta.attempts) upstreamMs += a.durationMs + a.waitBeforeMs;
  metrics.observeOverhead(performance.now() - startedMs, upstreamMs);
}
