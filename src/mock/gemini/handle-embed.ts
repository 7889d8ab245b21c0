import type { IncomingMessage, ServerResponse } from 'node:http';
import { type EmbeddingConfig, embeddingVector, inputTokens } from '../embedding-vectors.js';
import { readBody, sendRaw } from '../http-util.js';
import { trackRequest } from '../request-lifecycle.js';
import type { MockState } from '../state.js';
import {
  contextLengthError,
  googleError,
  invalidKeyError,
  missingKeyError,
  rateLimitError,
  statusError,
} from './errors.js';

export interface EmbedCall {
  model: string;
  /** `batchEmbedContents` (a list of requests) or `embedContent` (one). */
  batch: boolean;
}

interface EmbedRequest {
  content?: { parts?: Array<{ text?: unknown }> };
  outputDimensionality?: unknown;
}

/** The text of one embed request (its parts joined), or undefined when it has none. */
function textOf(request: EmbedRequest | undefined): string | undefined {
  const parts = request?.content?.parts;
  if (!Array.isArray(parts) || parts.length === 0) return undefined;
  const texts = parts.map((p) => p?.text);
  return texts.every((t) => typeof t === 'string') ? texts.join('') : undefined;
}

/**
 * `models/{model}:batchEmbedContents` and `:embedContent` on the Gemini wire: deterministic vectors
 * (the same as the OpenAI wire's for the same model and text), `outputDimensionality` honoured, the
 * key in `x-goog-api-key`, Google's error shapes. Every fault mode applies as to a non-streaming
 * generateContent; `content-filter` / `safety-block` answer 400 (embeddings have no safety verdict
 * to report), `empty-choices` an empty `embeddings` list. No usage: the Gemini API reports none.
 */
export async function handleEmbed(
  req: IncomingMessage,
  res: ServerResponse,
  state: MockState,
  cfg: EmbeddingConfig,
  call: EmbedCall,
): Promise<void> {
  const tracked = trackRequest(res, state);
  const { fault, entry, json } = tracked;
  entry.model = call.model;
  entry.stream = false;
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
  let body: { requests?: unknown } & EmbedRequest;
  try {
    body = JSON.parse(text);
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
  const requests: EmbedRequest[] = call.batch
    ? Array.isArray(body.requests)
      ? (body.requests as EmbedRequest[])
      : []
    : [body];
  if (requests.length === 0) {
    json(400, googleError(400, '* BatchEmbedContentsRequest.requests: requests is not specified'));
    return;
  }
  const texts = requests.map(textOf);
  const missing = texts.indexOf(undefined);
  if (missing !== -1) {
    json(400, googleError(400, `* requests[${missing}].content: content is not specified`));
    return;
  }

  if (fault.type === 'timeout') return;
  if (!(await tracked.wait(cfg.latencyMs))) return;
  const tokens = (texts as string[]).reduce((sum, t) => sum + inputTokens(t), 0);
  switch (fault.type) {
    case 'reset':
      tracked.settle('reset');
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
      json(400, contextLengthError(tokens));
      return;
    case 'content-filter':
    case 'safety-block':
      json(400, googleError(400, 'The input was blocked (simulated).'));
      return;
    case 'echo-key':
    case 'echo-key-mid-stream': {
      const status = fault.type === 'echo-key' ? fault.status : 500;
      json(status, googleError(status, `API key ${String(key)} was rejected (a careless upstream).`));
      return;
    }
    case 'slow-first-token':
      if (!(await tracked.wait(fault.ms))) return;
      break;
  }
  const vectors = requests.map((request, i) => {
    const dims = request.outputDimensionality;
    const length = Number.isInteger(dims) && (dims as number) > 0 ? (dims as number) : cfg.dimensions;
    return { values: embeddingVector(call.model, texts[i] as string, length) };
  });
  const answer = call.batch
    ? { embeddings: fault.type === 'empty-choices' ? [] : vectors }
    : fault.type === 'empty-choices'
      ? {}
      : { embedding: vectors[0] };
  if (fault.type === 'bad-json') {
    const whole = JSON.stringify(answer);
    tracked.head(200);
    sendRaw(res, 200, whole.slice(0, Math.floor(whole.length / 2)));
    return;
  }
  json(200, answer);
}
