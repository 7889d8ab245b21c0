import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Switchboard } from '../switchboard.js';
import type { GatewayMetrics } from '../telemetry/metrics.js';
import type { ModelStats } from '../telemetry/model-stats.js';
import { createBearerCheck } from './auth.js';
import { handleChat } from './chat-handler.js';
import { readJsonBody, sendError, sendJson } from './http-io.js';
import { stateStatusBody } from './state-status.js';
import { GatewayError } from './wire/gateway-error.js';
import { modelsList } from './wire/models-list.js';

export interface AppOptions {
  switchboard: Switchboard;
  metrics: GatewayMetrics;
  stats: ModelStats;
  /** A slow client gets this long to send its request (ms). */
  requestTimeoutMs?: number;
  /** Largest request header block (bytes). */
  maxHeaderBytes?: number;
  /** More `GET` endpoints (behind auth), e.g. the ledger's `/report`. */
  extraGets?: Record<
    string,
    (req: IncomingMessage, res: ServerResponse, query: URLSearchParams) => Promise<void> | void
  >;
  /** `GET` endpoints served WITHOUT the key: only what carries no data (the dashboard's shell). */
  publicGets?: Record<
    string,
    (req: IncomingMessage, res: ServerResponse, query: URLSearchParams) => Promise<void> | void
  >;
}

const DEFAULTS = {
  requestTimeoutMs: 30_000, // 30s to send headers and body
  maxHeaderBytes: 16 * 1024, // 16 KiB
  keepAliveTimeoutMs: 5_000, // 5s idle keep-alive
} as const;

/**
 * The gateway's HTTP server (not listening): the OpenAI wire plus health, status and metrics, on
 * Node's own http module. A framework was measured first: Fastify capped this machine at ~6.7k
 * requests/s on a bare JSON route against ~10.6k for node:http, and the gateway's overhead is a
 * headline figure, so the few routes are matched here by hand.
 */
export function buildApp(options: AppOptions): Server {
  const { switchboard: sb, metrics, stats } = options;
  const config = sb.config;
  const authorized = createBearerCheck(config.server.apiKeys);
  const createdS = Math.floor(Date.now() / 1000);
  const requestTimeoutMs = options.requestTimeoutMs ?? DEFAULTS.requestTimeoutMs;
  const gets: Record<
    string,
    (req: IncomingMessage, res: ServerResponse, query: URLSearchParams) => Promise<void> | void
  > = {
    '/v1/models': (_req, res) => sendJson(res, 200, modelsList(config, createdS)),
    '/status': (_req, res) =>
      sendJson(res, 200, { ...stats.snapshot(), state: stateStatusBody(sb.sharedState) }),
    '/metrics': async (_req, res) => {
      const { contentType, body } = await metrics.render();
      res.writeHead(200, { 'content-type': contentType, 'content-length': String(Buffer.byteLength(body)) });
      res.end(body);
    },
    ...options.extraGets,
  };
  const known = [
    'POST /v1/chat/completions',
    ...Object.keys(gets).map((p) => `GET ${p}`),
    ...Object.keys(options.publicGets ?? {}).map((p) => `GET ${p}`),
    'GET /healthz',
  ].join(', ');

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q === -1 ? url : url.slice(0, q);
    if (path === '/healthz') return sendJson(res, 200, { status: 'ok' });
    const open = options.publicGets && Object.hasOwn(options.publicGets, path) && options.publicGets[path];
    if (open && (req.method === 'GET' || req.method === 'HEAD')) {
      return open(req, res, new URLSearchParams(q === -1 ? '' : url.slice(q + 1)));
    }
    if (!authorized(req.headers.authorization)) {
      throw new GatewayError(
        401,
        'invalid_request_error',
        'invalid_api_key',
        'Missing or invalid API key. Send `Authorization: Bearer <key>` with a key from server.api_keys.',
      );
    }
    if (path === '/v1/chat/completions') {
      if (req.method !== 'POST')
        throw new GatewayError(405, 'invalid_request_error', 'method_not_allowed', 'Use POST.');
      const body = await readJsonBody(req, config.server.maxBodyBytes);
      return handleChat(sb, metrics, req, res, body);
    }
    const get = Object.hasOwn(gets, path) ? gets[path] : undefined;
    if (get && (req.method === 'GET' || req.method === 'HEAD')) {
      return get(req, res, new URLSearchParams(q === -1 ? '' : url.slice(q + 1)));
    }
    throw new GatewayError(
      404,
      'invalid_request_error',
      'not_found',
      `No route for ${req.method} ${path}. The gateway serves ${known}.`,
    );
  }

  const server = createServer(
    {
      maxHeaderSize: options.maxHeaderBytes ?? DEFAULTS.maxHeaderBytes,
      requestTimeout: requestTimeoutMs,
      headersTimeout: requestTimeoutMs,
      keepAliveTimeout: DEFAULTS.keepAliveTimeoutMs,
    },
    (req, res) => {
      route(req, res).catch((error) => {
        if (error instanceof GatewayError && error.status === 413) res.setHeader('connection', 'close');
        sendError(res, error);
      });
    },
  );
  return server;
}
