import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { ChatConfig } from '../chat.js';
import { readBody, sendRaw } from '../http-util.js';
import { trackRequest } from '../request-lifecycle.js';
import { splitWords } from '../responses.js';
import { writeStream } from '../sse.js';
import type { MockState } from '../state.js';
import {
  type AnswerBlock,
  type MessageMeta,
  type MessageUsage,
  messageBody,
  promptTokens,
} from './bodies.js';
import { anthropicError, statusError } from './errors.js';
import { buildAnthropicStreamPlan } from './stream-plan.js';
import { type MessagesBody, textOf, validateMessages } from './validate.js';

/** The simulated Claude's settings: the OpenAI wire's, plus the prompt-cache counts it reports. */
export interface AnthropicConfig extends ChatConfig {
  cacheReadTokens: number;
  cacheWriteTokens: number;
}

const SSE_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
} as const;

/**
 * One `POST /v1/messages`, from arrival to settlement, on Anthropic's wire: its validation, bodies,
 * SSE events, error envelope and headers (`request-id` on every answer; `retry-after` and
 * `anthropic-ratelimit-requests-*` on a 429). The fault in force shapes the answer as on the OpenAI
 * wire; `content-filter` is Claude's own form of it, a `refusal` stop reason.
 */
export async function handleMessages(
  req: IncomingMessage,
  res: ServerResponse,
  state: MockState,
  cfg: AnthropicConfig,
): Promise<void> {
  const life = trackRequest(res, state);
  const { fault, entry } = life;
  const requestId = `req_${state.nextId().slice('chatcmpl-'.length)}`;
  const withId = (headers: OutgoingHttpHeaders = {}) => ({ 'request-id': requestId, ...headers });
  const error = (status: number, type: string, message: string, headers?: OutgoingHttpHeaders) =>
    life.json(status, anthropicError(type, message, requestId), withId(headers));

  let text: string | null;
  try {
    text = await readBody(req);
  } catch {
    return;
  }
  if (text === null) {
    life.json(413, statusError(413, cfg.name, requestId), withId());
    return;
  }
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    error(400, 'invalid_request_error', 'There was an issue with the format of your request: invalid JSON.');
    return;
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    error(400, 'invalid_request_error', 'The request body must be a JSON object.');
    return;
  }
  entry.body = body;
  if (typeof body.model === 'string') entry.model = body.model;
  entry.stream = body.stream === true;

  const key = req.headers['x-api-key'];
  const auth = cfg.auth(typeof key === 'string' ? `Bearer ${key}` : undefined);
  if (auth !== 'ok') {
    const message = auth === 'missing' ? 'x-api-key header is required' : 'invalid x-api-key';
    error(401, 'authentication_error', message);
    return;
  }
  if (typeof req.headers['anthropic-version'] !== 'string') {
    error(400, 'invalid_request_error', 'anthropic-version: header is required');
    return;
  }
  const problem = validateMessages(body, cfg.assistantPrefill);
  if (problem) {
    error(400, 'invalid_request_error', problem);
    return;
  }
  const request = body as unknown as MessagesBody;

  if (fault.type === 'timeout') return;
  if (!(await life.wait(cfg.latencyMs))) return;
  switch (fault.type) {
    case 'reset':
      life.settle('reset');
      res.socket?.resetAndDestroy();
      return;
    case 'status':
      life.json(fault.status, statusError(fault.status, cfg.name, requestId, entry.model), withId());
      return;
    case 'rate-limit': {
      error(
        429,
        'rate_limit_error',
        statusError(429, cfg.name, requestId).error.message,
        rateLimitHeaders(fault),
      );
      return;
    }
    case 'context-length':
      error(
        400,
        'invalid_request_error',
        `prompt is too long: ${promptTokens(request) + 200_000} tokens > 200000 maximum`,
      );
      return;
  }

  const meta: MessageMeta = { id: `msg_${requestId.slice(4)}`, model: entry.model ?? cfg.name };
  const answer = answerFor(request, cfg, state, fault.type === 'content-filter');
  const usage: MessageUsage = {
    input_tokens: promptTokens(request),
    output_tokens: answer.outputTokens,
    cache_creation_input_tokens: cfg.cacheWriteTokens,
    cache_read_input_tokens: cfg.cacheReadTokens,
  };
  const content: AnswerBlock[] =
    fault.type === 'empty-choices' || answer.pieces.length === 0 ? [] : [answer.block];

  if (fault.type === 'bad-json') {
    const full = JSON.stringify(messageBody(meta, content, answer.stopReason, usage));
    life.head(200);
    sendRaw(res, 200, full.slice(0, Math.floor(full.length / 2)), withId());
    return;
  }
  if (!entry.stream) {
    if (fault.type === 'slow-first-token' && !(await life.wait(fault.ms))) return;
    life.json(200, messageBody(meta, content, answer.stopReason, usage), withId());
    return;
  }

  life.head(200);
  res.writeHead(200, withId(SSE_HEADERS));
  if (fault.type === 'slow-first-token') res.flushHeaders();
  const plan = buildAnthropicStreamPlan(meta, fault, {
    block: answer.block,
    pieces: fault.type === 'empty-choices' ? [] : answer.pieces,
    stopReason: answer.stopReason,
    usage,
    tokensPerSec: cfg.tokensPerSec,
  });
  if ((await writeStream(res, plan, life.signal)) === 'cut') {
    life.settle('cut');
    res.socket?.destroy();
  }
}

interface Answer {
  block: AnswerBlock;
  pieces: readonly string[];
  stopReason: string;
  outputTokens: number;
}

/**
 * What the simulated Claude answers: a call to `toolCall` when the request offers tools and is not
 * already returning a tool result (its input `{"text": reply}`, streamed as JSON pieces); otherwise the
 * reply, or its continuation after a prefill (a trailing assistant message the reply starts with).
 */
function answerFor(request: MessagesBody, cfg: AnthropicConfig, state: MockState, refuse: boolean): Answer {
  if (refuse)
    return { block: { type: 'text', text: '' }, pieces: [], stopReason: 'refusal', outputTokens: 0 };
  const last = request.messages[request.messages.length - 1];
  const returningResult =
    Array.isArray(last?.content) &&
    last.content.some((b) => (b as { type?: unknown }).type === 'tool_result');
  if (cfg.toolCall && Array.isArray(request.tools) && request.tools.length > 0 && !returningResult) {
    const input = { text: cfg.reply };
    const json = JSON.stringify(input);
    const pieces = splitJson(json, Math.max(1, cfg.words.length));
    const id = `toolu_${state.nextId().slice('chatcmpl-'.length)}`;
    return {
      block: { type: 'tool_use', id, name: cfg.toolCall, input },
      pieces,
      stopReason: 'tool_use',
      outputTokens: pieces.length,
    };
  }
  const prefill = last?.role === 'assistant' ? textOf(last.content) : undefined;
  const reply =
    prefill !== undefined && cfg.reply.startsWith(prefill) ? cfg.reply.slice(prefill.length) : cfg.reply;
  const pieces = reply === cfg.reply ? cfg.words : splitWords(reply);
  return {
    block: { type: 'text', text: reply },
    pieces,
    stopReason: 'end_turn',
    outputTokens: pieces.length,
  };
}

/** `json` cut into `count` pieces of about equal length (partial_json pieces need not be valid JSON). */
function splitJson(json: string, count: number): string[] {
  const size = Math.ceil(json.length / count);
  const pieces: string[] = [];
  for (let i = 0; i < json.length; i += size) pieces.push(json.slice(i, i + size));
  return pieces;
}

/**
 * Anthropic's 429 headers: `retry-after` in whole seconds, and the reset of the exhausted request
 * limit as an RFC 3339 time. `429ms:MS` sends only the reset (Anthropic has no millisecond header).
 */
function rateLimitHeaders(fault: { retryAfterS?: number; retryAfterMs?: number }): OutgoingHttpHeaders {
  const waitMs =
    fault.retryAfterMs ?? (fault.retryAfterS !== undefined ? fault.retryAfterS * 1000 : undefined);
  if (waitMs === undefined) return {};
  const headers: OutgoingHttpHeaders = {
    'anthropic-ratelimit-requests-limit': '50',
    'anthropic-ratelimit-requests-remaining': '0',
    'anthropic-ratelimit-requests-reset': new Date(Date.now() + waitMs).toISOString(),
  };
  if (fault.retryAfterS !== undefined) headers['retry-after'] = String(fault.retryAfterS);
  return headers;
}
