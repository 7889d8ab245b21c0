import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { SwitchboardError } from '../common/errors.js';
import type { AnthropicConfig } from './anthropic/handle-messages.js';
import { routeAnthropic } from './anthropic/route.js';
import { bearerAuth } from './auth.js';
import { type ChatConfig, handleChat } from './chat.js';
import { DEFAULT_EMBEDDING_DIMENSIONS, type EmbeddingConfig } from './embedding-vectors.js';
import { handleEmbeddings } from './embeddings.js';
import { routeGemini } from './gemini/route.js';
import { pathOf, readBody, sendJson } from './http-util.js';
import { errorBody, missingKeyBody, statusErrorBody } from './openai-errors.js';
import { modelListBody, splitWords } from './responses.js';
import { MockState } from './state.js';
import type { MockProvider, MockProviderOptions } from './types.js';

function nonNegative(value: number | undefined, fallback: number, what: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new SwitchboardError(
      'invalid_mock_option',
      `${what} must be a non-negative number, got ${String(value)}`,
    );
  }
  return value;
}

function hostForUrl(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

/**
 * Starts a simulated provider (OpenAI-compatible, or Anthropic with `protocol: 'anthropic'`) on a real
 * loopback HTTP server. Resolves once it is listening; rejects with SwitchboardError('invalid_fault') on
 * a bad initial fault.
 */
export async function startMockProvider(opts: MockProviderOptions = {}): Promise<MockProvider> {
  const protocol = opts.protocol ?? 'openai';
  if (protocol !== 'openai' && protocol !== 'anthropic' && protocol !== 'gemini') {
    throw new SwitchboardError('invalid_mock_option', `protocol ${String(protocol)} is not simulated yet`);
  }
  const name = opts.name ?? 'mock';
  const host = opts.host ?? '127.0.0.1';
  const reply = opts.reply ?? `Hello from ${name}, a simulated provider.`;
  const cfg: AnthropicConfig = {
    name,
    reply,
    words: splitWords(reply),
    latencyMs: nonNegative(opts.latencyMs, 0, 'latencyMs'),
    tokensPerSec: nonNegative(opts.tokensPerSec, 0, 'tokensPerSec'),
    auth: bearerAuth(opts.apiKey),
    assistantPrefill: opts.assistantPrefill ?? true,
    ...(opts.toolCall ? { toolCall: opts.toolCall } : {}),
    cacheReadTokens: nonNegative(opts.cacheReadTokens, 0, 'cacheReadTokens'),
    cacheWriteTokens: nonNegative(opts.cacheWriteTokens, 0, 'cacheWriteTokens'),
  };
  const embedding: EmbeddingConfig = {
    name,
    auth: cfg.auth,
    latencyMs: cfg.latencyMs,
    dimensions:
      nonNegative(opts.embeddingDimensions, DEFAULT_EMBEDDING_DIMENSIONS, 'embeddingDimensions') || 1,
  };
  const state = new MockState(name, opts.seed ?? 1, nonNegative(opts.maxLogEntries, 1000, 'maxLogEntries'));
  state.setFault(opts.fault ?? 'ok');

  const sockets = new Set<Socket>();
  const gemini = {
    ...cfg,
    cachedTokens: nonNegative(opts.cachedTokens, 0, 'cachedTokens'),
    thoughtsTokens: nonNegative(opts.thoughtsTokens, 0, 'thoughtsTokens'),
  };
  const server = createServer((req, res) => {
    if (protocol === 'anthropic' && routeAnthropic(req, res, state, cfg)) return;
    if (protocol === 'gemini' && !isControlPath(req.url)) {
      routeGemini(req, res, state, gemini, () => fail(res), embedding);
      return;
    }
    route(req, res, state, cfg, embedding);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(nonNegative(opts.port, 0, 'port'), host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  const url = `http://${hostForUrl(host)}:${port}`;

  let closing: Promise<void> | undefined;
  return {
    url,
    // The vendors' SDKs take the host root as their base (they add /v1/messages, /v1beta/… themselves).
    baseUrl: protocol === 'openai' ? `${url}/v1` : url,
    protocol,
    port,
    setFault: (fault) => {
      state.setFault(fault);
    },
    stats: () => state.stats.snapshot(state.spec),
    reset: () => state.reset(),
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        state.closing = true;
        server.close(() => resolve());
        server.closeAllConnections();
        for (const socket of sockets) socket.destroy();
      });
      return closing;
    },
  };
}

/** The simulator's own routes (/__stats, /__fault, /__reset), the same on every wire. */
function isControlPath(url: string | undefined): boolean {
  return pathOf(url).startsWith('/__');
}

function route(
  req: IncomingMessage,
  res: ServerResponse,
  state: MockState,
  cfg: ChatConfig,
  embedding: EmbeddingConfig,
): void {
  const path = pathOf(req.url);
  const method = req.method ?? 'GET';
  if (method === 'POST' && (path === '/v1/embeddings' || path === '/embeddings')) {
    handleEmbeddings(req, res, state, embedding).catch(() => fail(res));
    return;
  }

  if (method === 'POST' && (path === '/v1/chat/completions' || path === '/chat/completions')) {
    handleChat(req, res, state, cfg).catch(() => fail(res));
    return;
  }
  if (method === 'GET' && (path === '/v1/models' || path === '/models')) {
    const auth = cfg.auth(req.headers.authorization);
    if (auth === 'ok') sendJson(res, 200, modelListBody(cfg.name, Math.floor(Date.now() / 1000)));
    else sendJson(res, 401, auth === 'missing' ? missingKeyBody() : statusErrorBody(401, cfg.name));
    return;
  }
  if (method === 'GET' && path === '/__stats') {
    sendJson(res, 200, state.stats.snapshot(state.spec));
    return;
  }
  if (method === 'POST' && path === '/__fault') {
    setFaultFromBody(req, res, state).catch(() => fail(res));
    return;
  }
  if (method === 'POST' && path === '/__reset') {
    state.reset();
    sendJson(res, 200, { ok: true });
    return;
  }
  const shown = path.length > 200 ? `${path.slice(0, 200)}…` : path;
  sendJson(res, 404, errorBody(`Invalid URL (${method} ${shown})`, 'invalid_request_error', 'unknown_url'));
}

async function setFaultFromBody(req: IncomingMessage, res: ServerResponse, state: MockState): Promise<void> {
  let text: string | null;
  try {
    text = await readBody(req);
  } catch {
    return;
  }
  let spec: unknown;
  try {
    spec = (JSON.parse(text ?? '') as { fault?: unknown } | null)?.fault;
  } catch {
    spec = undefined;
  }
  if (spec === undefined) {
    const message = 'Expected a JSON body like {"fault":"503"}.';
    sendJson(res, 400, errorBody(message, 'invalid_request_error', 'invalid_fault'));
    return;
  }
  try {
    const fault = state.setFault(spec as Parameters<MockState['setFault']>[0]);
    sendJson(res, 200, { ok: true, fault });
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    sendJson(res, 400, errorBody(message, 'invalid_request_error', 'invalid_fault'));
  }
}

/** An unexpected error inside a handler: answer 500 if still possible, else drop the connection. */
function fail(res: ServerResponse): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendJson(res, 500, errorBody('Internal error in the mock provider.', 'server_error', null));
}
