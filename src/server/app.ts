import { createServer } from 'node:http';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Switchboard } from '../switchboard.js';
import type { GatewayMetrics } from '../telemetry/metrics.js';
import type { ModelStats } from '../telemetry/model-stats.js';
import { createBearerCheck } from './auth.js';
import { handleChat } from './chat-handler.js';
import { GatewayError } from './wire/gateway-error.js';
import { modelsList } from './wire/models-list.js';
import { toOpenAIError } from './wire/to-openai-error.js';

export interface AppOptions {
  switchboard: Switchboard;
  metrics: GatewayMetrics;
  stats: ModelStats;
  /** A slow client gets this long to send its request (ms). */
  requestTimeoutMs?: number;
  /** Largest request header block (bytes). */
  maxHeaderBytes?: number;
}

const DEFAULTS = {
  requestTimeoutMs: 30_000, // 30s to send headers and body
  maxHeaderBytes: 16 * 1024, // 16 KiB
} as const;

/** Builds the gateway's HTTP app (not listening): the OpenAI wire plus health, status and metrics. */
export function buildApp(options: AppOptions): FastifyInstance {
  const { switchboard: sb, metrics, stats } = options;
  const config = sb.config;
  const requestTimeoutMs = options.requestTimeoutMs ?? DEFAULTS.requestTimeoutMs;
  const app = Fastify({
    logger: false,
    bodyLimit: config.server.maxBodyBytes,
    requestIdHeader: false,
    return503OnClosing: true,
    serverFactory: (handler) =>
      createServer(
        {
          maxHeaderSize: options.maxHeaderBytes ?? DEFAULTS.maxHeaderBytes,
          requestTimeout: requestTimeoutMs,
          headersTimeout: requestTimeoutMs,
        },
        handler,
      ),
  });
  const authorized = createBearerCheck(config.server.apiKeys);
  const createdS = Math.floor(Date.now() / 1000);

  app.addHook('onRequest', async (request) => {
    if (request.url === '/healthz') return;
    if (!authorized(request.headers.authorization)) {
      throw new GatewayError(
        401,
        'invalid_request_error',
        'invalid_api_key',
        'Missing or invalid API key. Send `Authorization: Bearer <key>` with a key from server.api_keys.',
      );
    }
  });

  app.setErrorHandler((error, _request, reply) => sendError(reply, fromFastify(error)));
  app.setNotFoundHandler((request, reply) =>
    sendError(
      reply,
      new GatewayError(
        404,
        'invalid_request_error',
        'not_found',
        `No route for ${request.method} ${request.url}. The gateway serves POST /v1/chat/completions, GET /v1/models, /healthz, /status and /metrics.`,
      ),
    ),
  );

  app.post('/v1/chat/completions', (request: FastifyRequest, reply: FastifyReply) =>
    handleChat(sb, metrics, request, reply),
  );
  app.get('/v1/models', async () => modelsList(config, createdS));
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/status', async () => stats.snapshot());
  app.get('/metrics', async (_request, reply) => {
    const { contentType, body } = await metrics.render();
    return reply.header('content-type', contentType).send(body);
  });
  return app;
}

export function sendError(reply: FastifyReply, error: unknown): FastifyReply {
  const wire = toOpenAIError(error);
  return reply
    .code(wire.status)
    .headers(wire.headers)
    .header('content-type', 'application/json')
    .send(wire.body);
}

/** Fastify's own errors (body too large, bad JSON, wrong content type) in OpenAI's words. */
function fromFastify(error: unknown): unknown {
  if (error instanceof GatewayError) return error;
  const e = error as { code?: string; statusCode?: number; message?: string };
  switch (e.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new GatewayError(
        413,
        'invalid_request_error',
        'request_too_large',
        'The request body is larger than server.max_body_bytes allows.',
      );
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new GatewayError(
        400,
        'invalid_request_error',
        'invalid_json',
        'The request body is not valid JSON.',
      );
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new GatewayError(
        415,
        'invalid_request_error',
        'unsupported_media_type',
        'Send the body as JSON with `content-type: application/json`.',
      );
    default:
      if (e.statusCode && e.statusCode >= 400 && e.statusCode < 500) {
        return new GatewayError(
          e.statusCode,
          'invalid_request_error',
          'invalid_request',
          e.message ?? 'invalid request',
        );
      }
      return error;
  }
}
