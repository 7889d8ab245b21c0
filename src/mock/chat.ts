import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { AuthCheck } from './auth.js';
import type { Fault } from './faults.js';
import { readBody, sendRaw } from './http-util.js';
import {
  contentFilterBody,
  contextLengthBody,
  echoKeyBody,
  errorBody,
  missingKeyBody,
  statusErrorBody,
} from './openai-errors.js';
import { trackRequest } from './request-lifecycle.js';
import {
  type CompletionMeta,
  chunkBody,
  completionBody,
  emptyChoicesBody,
  promptTokens,
  splitWords,
  usage,
  usageChunkBody,
} from './responses.js';
import { buildStreamPlan, DONE_FRAME, SSE_HEADERS, sseFrame, writeStream } from './sse.js';
import type { MockState } from './state.js';
import type { MockOutcome } from './stats.js';

/** The fixed settings of one simulated provider, resolved from its options. */
export interface ChatConfig {
  name: string;
  reply: string;
  /** The reply pre-split into stream pieces (computed once, not per request). */
  words: readonly string[];
  latencyMs: number;
  tokensPerSec: number;
  auth: AuthCheck;
  assistantPrefill: boolean;
  /** With `tools` in the request, stream a call to this tool (the reply's words as its arguments). */
  toolCall?: string;
}

interface ChatRequest {
  model?: string;
  messages?: unknown;
  tools?: unknown;
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
}

/**
 * One chat completion request, from arrival to settlement. The fault is sampled on arrival; the
 * bookkeeping (log entry, settlement, waits that end when the client leaves) is `trackRequest`'s.
 */
export async function handleChat(
  req: IncomingMessage,
  res: ServerResponse,
  state: MockState,
  cfg: ChatConfig,
): Promise<void> {
  const { fault, entry, head, json, settle, signal, wait } = trackRequest(res, state);

  let text: string | null;
  try {
    text = await readBody(req);
  } catch {
    return; // the client went away; the close listener records it
  }
  if (text === null) {
    json(413, statusErrorBody(413, cfg.name));
    return;
  }
  let body: ChatRequest;
  try {
    body = JSON.parse(text) as ChatRequest;
  } catch {
    json(400, errorBody('We could not parse the JSON body of your request.', 'invalid_request_error', null));
    return;
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    json(400, errorBody('The request body must be a JSON object.', 'invalid_request_error', null));
    return;
  }
  entry.body = body;
  if (typeof body.model === 'string') entry.model = body.model;
  entry.stream = body.stream === true;
  const { traceparent, tracestate } = req.headers;
  if (typeof traceparent === 'string') entry.traceparent = traceparent;
  if (typeof tracestate === 'string') entry.tracestate = tracestate;

  const auth = cfg.auth(req.headers.authorization);
  if (auth !== 'ok') {
    json(401, auth === 'missing' ? missingKeyBody() : statusErrorBody(401, cfg.name));
    return;
  }

  const prefill = trailingAssistantText(body.messages);
  if (prefill !== undefined && !cfg.assistantPrefill) {
    json(
      400,
      errorBody(
        'The last message must be from the user; assistant prefill is not supported.',
        'invalid_request_error',
        'invalid_prefill',
        'messages',
      ),
    );
    return;
  }
  const answer = prefill !== undefined && cfg.reply.startsWith(prefill) ? continuation(cfg, prefill) : cfg;

  if (fault.type === 'timeout') return; // never answer; the log entry stays 'hung' until the client leaves
  if (!(await wait(cfg.latencyMs))) return;

  switch (fault.type) {
    case 'reset':
      settle('reset');
      res.socket?.resetAndDestroy();
      return;
    case 'status':
      json(fault.status, statusErrorBody(fault.status, cfg.name, entry.model));
      return;
    case 'rate-limit': {
      const headers: OutgoingHttpHeaders = {};
      if (fault.retryAfterS !== undefined) headers['retry-after'] = String(fault.retryAfterS);
      if (fault.retryAfterMs !== undefined) headers['retry-after-ms'] = String(fault.retryAfterMs);
      json(429, statusErrorBody(429, cfg.name), headers);
      return;
    }
    case 'context-length':
      json(400, contextLengthBody(cfg.name));
      return;
    case 'content-filter':
    case 'safety-block':
      json(400, contentFilterBody(cfg.name));
      return;
    case 'echo-key':
      json(fault.status, echoKeyBody(fault.status, req.headers, cfg.name));
      return;
    case 'echo-key-mid-stream':
      if (!entry.stream) {
        json(500, echoKeyBody(500, req.headers, cfg.name));
        return;
      }
      break;
  }

  const meta: CompletionMeta = {
    id: state.nextId(),
    created: Math.floor(Date.now() / 1000),
    model: entry.model ?? cfg.name,
  };
  const tokens = usage(promptTokens(body), answer.words.length);

  if (fault.type === 'bad-json') {
    const full = JSON.stringify(completionBody(meta, answer.reply, tokens));
    head(200);
    sendRaw(res, 200, full.slice(0, Math.floor(full.length / 2)));
    return;
  }

  if (!entry.stream) {
    if (fault.type === 'slow-first-token' && !(await wait(fault.ms))) return;
    json(
      200,
      fault.type === 'empty-choices'
        ? emptyChoicesBody(meta, tokens)
        : completionBody(meta, answer.reply, tokens),
    );
    return;
  }

  head(200);
  res.writeHead(200, SSE_HEADERS);
  if (fault.type === 'empty-choices') {
    res.end(sseFrame(usageChunkBody(meta, tokens)) + DONE_FRAME);
    return;
  }
  if (fault.type === 'slow-first-token') res.flushHeaders();
  if (fault.type === 'echo-key-mid-stream') {
    // Content first, then an in-stream error event quoting the credentials, and no [DONE].
    let frames = sseFrame(chunkBody(meta, { role: 'assistant', content: '' }, null, false));
    for (const word of answer.words.slice(0, fault.chunks))
      frames += sseFrame(chunkBody(meta, { content: word }, null, false));
    res.end(frames + sseFrame(echoKeyBody(500, req.headers, cfg.name)));
    return;
  }
  await streamAnswer(res, { meta, fault, body, tokens, cfg: { ...cfg, ...answer }, signal, settle });
}

/** What one streamed answer is made of. */
interface StreamedAnswer {
  meta: CompletionMeta;
  fault: Fault;
  body: ChatRequest;
  tokens: ReturnType<typeof usage>;
  cfg: ChatConfig;
  /** The request's abort signal (the client went away). */
  signal: () => AbortSignal;
  /** Records how the exchange ended. */
  settle: (outcome: MockOutcome) => void;
}

async function streamAnswer(res: ServerResponse, answer: StreamedAnswer): Promise<void> {
  const { meta, fault, body, tokens, cfg, signal, settle } = answer;
  const plan = buildStreamPlan(meta, cfg.words, fault, {
    includeUsage: body.stream_options?.include_usage === true,
    usage: tokens,
    tokensPerSec: cfg.tokensPerSec,
    ...(cfg.toolCall && Array.isArray(body.tools) && body.tools.length > 0 ? { toolCall: cfg.toolCall } : {}),
  });
  const result = await writeStream(res, plan, signal);
  if (result === 'cut') {
    settle('cut');
    res.socket?.destroy();
  }
}

/** The text of a trailing assistant message (a prefill), if the conversation ends with one. */
function trailingAssistantText(messages: unknown): string | undefined {
  if (!Array.isArray(messages) || messages.length === 0) return undefined;
  const last = messages[messages.length - 1] as { role?: unknown; content?: unknown } | null;
  return last && last.role === 'assistant' && typeof last.content === 'string' ? last.content : undefined;
}

/** A prefilled request: the reply resumes right after the text the caller already has. */
function continuation(cfg: ChatConfig, prefill: string): { reply: string; words: readonly string[] } {
  const reply = cfg.reply.slice(prefill.length);
  return { reply, words: splitWords(reply) };
}
