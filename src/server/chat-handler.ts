import { once } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { systemClock } from '../common/clock.js';
import { type AbortSignalLike, LinkedAbort } from '../common/linked-abort.js';
import type { ResultMetadata } from '../routing/index.js';
import { RequestFailedError } from '../routing/index.js';
import type { Switchboard } from '../switchboard.js';
import type { GatewayMetrics } from '../telemetry/metrics.js';
import { sendError, sendJson } from './http-io.js';
import { debugView, metadataHeaders } from './wire/metadata-headers.js';
import { readRequestHeaders } from './wire/request-headers.js';
import { sseFrames } from './wire/sse-frames.js';
import { validateChatRequest } from './wire/validate-chat.js';

/** `POST /v1/chat/completions`: validate, run through the engine, answer as JSON or SSE. */
export async function handleChat(
  sb: Switchboard,
  metrics: GatewayMetrics,
  req: IncomingMessage,
  res: ServerResponse,
  parsed: unknown,
): Promise<void> {
  const startedMs = performance.now();
  metrics.requestStarted();
  const client = new LinkedAbort(systemClock);
  const onClose = () => {
    if (!res.writableFinished) client.abort(new Error('the client disconnected'));
  };
  res.on('close', onClose);
  const { options, debug } = readRequestHeaders((name) => {
    const v = req.headers[name];
    return typeof v === 'string' ? v : undefined;
  }, client);
  const { requestId } = options;
  let metadata: ResultMetadata | undefined;
  let streamed = false;
  try {
    const body = validateChatRequest(parsed);
    if (body.stream === true) {
      streamed = true;
      const result = await sb.stream(body, options);
      metadata = result.metadata;
      res.writeHead(200, {
        'content-type': 'text/event-stream',
        'cache-control': 'no-cache',
        connection: 'keep-alive',
        ...metadataHeaders(result.metadata, false),
      });
      await pipeFrames(res, sseFrames(result, debug), client, () => result.cancel());
      return;
    }
    const { completion, metadata: meta } = await sb.chat(body, options);
    metadata = meta;
    const payload = debug ? { ...completion, switchboard: debugView(meta) } : completion;
    sendJson(res, 200, payload, metadataHeaders(meta, true));
  } catch (error) {
    if (error instanceof RequestFailedError) metadata = error.metadata;
    if (res.headersSent || client.aborted) return;
    sendError(res, error, {
      'x-request-id': requestId,
      ...(metadata ? metadataHeaders(metadata, false) : {}),
    });
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
