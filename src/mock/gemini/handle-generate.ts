import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ChatConfig } from '../chat.js';
import { readBody, sendRaw } from '../http-util.js';
import { trackRequest } from '../request-lifecycle.js';
import { splitWords } from '../responses.js';
import { SSE_HEADERS, writeStream } from '../sse.js';
import type { MockState } from '../state.js';
import {
  contextLengthError,
  googleError,
  invalidKeyError,
  missingKeyError,
  rateLimitError,
  statusError,
  trailingModelTurnError,
} from './errors.js';
import {
  callArguments,
  geminiPromptTokens,
  trailingModelText,
  wantsFunctionCall,
} from './request-reading.js';
import {
  candidateResponse,
  type GeminiMeta,
  type GeminiTokens,
  noCandidateResponse,
  promptBlockedResponse,
  safetyBlockedResponse,
  usageMetadata,
} from './responses.js';
import { buildGeminiStreamPlan, geminiFrame } from './stream-plan.js';

/** The Gemini simulator's settings: the shared ones plus the usage it reports. */
export interface GeminiConfig extends ChatConfig {
  /** Reported as `cachedContentTokenCount` (and included in `promptTokenCount`, as Gemini does). */
  cachedTokens: number;
  /** Reported as `thoughtsTokenCount`. */
  thoughtsTokens: number;
}

export interface GenerateCall {
  model: string;
  stream: boolean;
}

/**
 * One `models/{model}:generateContent` or `:streamGenerateContent?alt=sse` request, from arrival to
 * settlement, in the shape of chat.ts: the fault is sampled on arrival, every wait ends when the client
 * leaves, and each fault mode is answered the way the Gemini API would.
 */
export async function handleGenerate(
  req: IncomingMessage,
  res: ServerResponse,
  state: MockState,
  cfg: GeminiConfig,
  call: GenerateCall,
): Promise<void> {
  const { fault, entry, head, json, settle, signal, wait } = trackRequest(res, state);
  entry.model = call.model;
  entry.stream = call.stream;
  let text: string | null;
  try {
    text = await readBody(req);
  } catch {
    return;
  }
  if (text === null) {
    json(413, googleError(413, 'Request payload size exceeds the limit.'));
    return;
  }
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    json(400, googleError(400, 'Invalid JSON payload received. Unexpected token.'));
    return;
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    json(400, googleError(400, 'Invalid JSON payload received. Expected an object.'));
    return;
  }
  entry.body = body;

  const key = req.headers['x-goog-api-key'];
  const auth = cfg.auth(typeof key === 'string' && key !== '' ? `Bearer ${key}` : undefined);
  if (auth !== 'ok') {
    json(auth === 'missing' ? 403 : 400, auth === 'missing' ? missingKeyError() : invalidKeyError());
    return;
  }
  const contents = Array.isArray(body.contents) ? body.contents : [];
  if (contents.length === 0) {
    json(400, googleError(400, '* GenerateContentRequest.contents: contents is not specified'));
    return;
  }
  const prefill = trailingModelText(contents);
  if (prefill !== undefined && !cfg.assistantPrefill) {
    json(400, trailingModelTurnError());
    return;
  }
  const reply =
    prefill !== undefined && cfg.reply.startsWith(prefill) ? cfg.reply.slice(prefill.length) : cfg.reply;
  const words = reply === cfg.reply ? cfg.words : splitWords(reply);

  if (fault.type === 'timeout') return;
  if (!(await wait(cfg.latencyMs))) return;

  const prompt = geminiPromptTokens(body) + cfg.cachedTokens;
  switch (fault.type) {
    case 'reset':
      settle('reset');
      res.socket?.resetAndDestroy();
      return;
    case 'status':
      json(fault.status, statusError(fault.status, cfg.name, call.model));
      return;
    case 'rate-limit': {
      const delayMs =
        fault.retryAfterMs ?? (fault.retryAfterS === undefined ? undefined : fault.retryAfterS * 1000);
      json(429, rateLimitError(cfg.name, delayMs));
      return;
    }
    case 'context-length':
      json(400, contextLengthError(prompt));
      return;
  }

  const meta: GeminiMeta = { responseId: randomBytes(12).toString('base64url'), modelVersion: call.model };
  const functionCall =
    cfg.toolCall && wantsFunctionCall(body) ? { name: cfg.toolCall, args: callArguments(reply) } : undefined;
  const tokens: GeminiTokens = {
    prompt,
    candidates: functionCall ? 1 : words.length,
    cached: cfg.cachedTokens,
    thoughts: cfg.thoughtsTokens,
  };
  const single =
    fault.type === 'content-filter'
      ? promptBlockedResponse(meta, tokens)
      : fault.type === 'safety-block'
        ? safetyBlockedResponse(meta, tokens)
        : fault.type === 'empty-choices'
          ? noCandidateResponse(meta, tokens)
          : undefined;
  const full = () =>
    candidateResponse(
      meta,
      functionCall ? [{ functionCall }] : [{ text: reply }],
      'STOP',
      usageMetadata(tokens),
    );

  if (fault.type === 'bad-json') {
    const whole = JSON.stringify(full());
    head(200);
    sendRaw(res, 200, whole.slice(0, Math.floor(whole.length / 2)));
    return;
  }
  if (!call.stream) {
    if (fault.type === 'slow-first-token' && !(await wait(fault.ms))) return;
    json(200, single ?? full());
    return;
  }

  head(200);
  res.writeHead(200, SSE_HEADERS);
  if (single) {
    res.end(geminiFrame(single));
    return;
  }
  if (fault.type === 'slow-first-token') res.flushHeaders();
  const plan = buildGeminiStreamPlan(meta, words, fault, {
    tokens,
    tokensPerSec: cfg.tokensPerSec,
    ...(functionCall ? { functionCall } : {}),
  });
  const result = await writeStream(res, plan, signal);
  if (result === 'cut') {
    settle('cut');
    res.socket?.destroy();
  }
}
