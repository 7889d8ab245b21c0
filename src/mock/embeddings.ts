import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { type EmbeddingConfig, embeddingVector, inputTokens } from './embedding-vectors.js';
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
import type { MockState } from './state.js';

type Input = string | readonly number[];

/** `input` in OpenAI's four forms as a list; undefined when it is none of them. */
export function readInputs(input: unknown): Input[] | undefined {
  if (typeof input === 'string') return [input];
  if (!Array.isArray(input) || input.length === 0) return undefined;
  if (input.every((i) => typeof i === 'string')) return input;
  const isTokens = (v: unknown) => Array.isArray(v) && v.length > 0 && v.every(Number.isInteger);
  if (isTokens(input)) return [input as number[]];
  return input.every(isTokens) ? (input as number[][]) : undefined;
}

/** Little-endian float32 bytes in base64, as OpenAI answers `encoding_format: base64`. */
function base64Of(vector: readonly number[]): string {
  const bytes = Buffer.alloc(vector.length * 4);
  for (let i = 0; i < vector.length; i++) bytes.writeFloatLE(vector[i] as number, i * 4);
  return bytes.toString('base64');
}

/**
 * `POST /v1/embeddings` on the OpenAI wire: deterministic vectors from the inputs (embedding-vectors.ts),
 * `dimensions` honoured, usage counted; every fault mode applies as it does to a non-streaming chat
 * completion (stream-only faults answer normally; `empty-choices` answers an empty `data`).
 */
export async function handleEmbeddings(
  req: IncomingMessage,
  res: ServerResponse,
  state: MockState,
  cfg: EmbeddingConfig,
): Promise<void> {
  const call = trackRequest(res, state);
  const { fault, entry, json } = call;
  let text: string | null;
  try {
    text = await readBody(req);
  } catch {
    return;
  }
  if (text === null) {
    json(413, statusErrorBody(413, cfg.name));
    return;
  }
  let body: { model?: unknown; input?: unknown; dimensions?: unknown; encoding_format?: unknown };
  try {
    body = JSON.parse(text);
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
  entry.stream = false;
  const auth = cfg.auth(req.headers.authorization);
  if (auth !== 'ok') {
    json(401, auth === 'missing' ? missingKeyBody() : statusErrorBody(401, cfg.name));
    return;
  }
  const inputs = readInputs(body.input);
  if (!inputs) {
    json(400, errorBody("'$.input' is invalid.", 'invalid_request_error', null, 'input'));
    return;
  }
  const dims = body.dimensions;
  if (dims !== undefined && !(Number.isInteger(dims) && (dims as number) > 0)) {
    json(400, errorBody("'$.dimensions' is invalid.", 'invalid_request_error', null, 'dimensions'));
    return;
  }

  if (fault.type === 'timeout') return;
  if (!(await call.wait(cfg.latencyMs))) return;
  switch (fault.type) {
    case 'reset':
      call.settle('reset');
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
      json(500, echoKeyBody(500, req.headers, cfg.name));
      return;
    case 'slow-first-token':
      if (!(await call.wait(fault.ms))) return;
      break;
  }

  const model = entry.model ?? cfg.name;
  const length = (dims as number | undefined) ?? cfg.dimensions;
  const base64 = body.encoding_format === 'base64';
  const tokens = inputs.reduce((sum, input) => sum + inputTokens(input), 0);
  const answer = {
    object: 'list',
    data:
      fault.type === 'empty-choices'
        ? []
        : inputs.map((input, index) => {
            const vector = embeddingVector(model, input, length);
            return { object: 'embedding', index, embedding: base64 ? base64Of(vector) : vector };
          }),
    model,
    usage: { prompt_tokens: tokens, total_tokens: tokens },
  };
  if (fault.type === 'bad-json') {
    const whole = JSON.stringify(answer);
    call.head(200);
    sendRaw(res, 200, whole.slice(0, Math.floor(whole.length / 2)));
    return;
  }
  json(200, answer);
}
