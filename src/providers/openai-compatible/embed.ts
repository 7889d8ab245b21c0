import type { Dispatcher } from 'undici';
import { classifyNetworkError } from '../classify-network.js';
import type { EmbeddingRequest, EmbeddingResult } from '../embedding-types.js';
import { encodeJsonBody } from '../local-failure.js';
import { UpstreamError } from '../upstream-error.js';
import { decodeFloat32Base64 } from '../vector-codec.js';
import { classifyHttpError } from './classify.js';
import { dispatchText, headerMap, type TextResponse } from './dispatch-text.js';

/** How an OpenAI-compatible adapter reaches `{base_url}/embeddings`: its pool, headers and secrets. */
export interface EmbedTransport {
  pool: Dispatcher;
  /** e.g. `/v1/embeddings` */
  path: string;
  headers: Record<string, string>;
  socketTimeoutMs: number;
  secrets: readonly string[];
}

/**
 * One `POST {base_url}/embeddings`: encoded before the call, network failures classified around the
 * transport only, HTTP errors classified like chat ones, the answer checked (one vector per input).
 */
export async function embedOpenAI(
  transport: EmbedTransport,
  request: EmbeddingRequest,
): Promise<EmbeddingResult> {
  const payload = encodeJsonBody(embeddingsBody(request));
  let response: TextResponse;
  try {
    response = await dispatchText(
      transport.pool,
      {
        path: transport.path,
        method: 'POST',
        headers: transport.headers,
        body: payload,
        headersTimeout: transport.socketTimeoutMs,
        bodyTimeout: transport.socketTimeoutMs,
      },
      request.signal,
    );
  } catch (error) {
    if (request.signal.aborted) throw request.signal.reason;
    throw classifyNetworkError(error);
  }
  if (response.statusCode < 200 || response.statusCode > 299) {
    throw classifyHttpError(
      response.statusCode,
      headerMap(response.rawHeaders),
      response.text,
      transport.secrets,
    );
  }
  return parseEmbeddings(response.text, inputCount(request), request.upstreamModel);
}

/** The upstream body: always floats (every OpenAI-compatible server speaks them), in input order. Pure. */
export function embeddingsBody(request: Omit<EmbeddingRequest, 'signal'>): Record<string, unknown> {
  const { inputs } = request;
  return {
    model: request.upstreamModel,
    input: inputs.kind === 'text' ? inputs.texts : inputs.tokens,
    encoding_format: 'float',
    ...(request.dimensions !== undefined ? { dimensions: request.dimensions } : {}),
    ...(request.user !== undefined ? { user: request.user } : {}),
  };
}

function inputCount(request: EmbeddingRequest): number {
  return request.inputs.kind === 'text' ? request.inputs.texts.length : request.inputs.tokens.length;
}

const badResponse = (providerMessage: string, cause?: unknown) =>
  new UpstreamError({ kind: 'transient', code: 'bad_response', status: 200, providerMessage, cause });

/**
 * A 200 is only a success if it holds one vector of finite numbers per input (floats, or base64 from
 * a server that ignores `encoding_format`), placed by `index`. Anything else is a transient failure.
 * Pure.
 */
export function parseEmbeddings(text: string, count: number, upstreamModel: string): EmbeddingResult {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    throw badResponse('invalid JSON', cause);
  }
  const root = parsed as { data?: unknown; usage?: unknown; model?: unknown } | null;
  if (!root || typeof root !== 'object' || !Array.isArray(root.data)) throw badResponse('no data');
  if (root.data.length !== count) throw badResponse(`${root.data.length} embeddings for ${count} inputs`);
  const vectors: number[][] = new Array(count);
  root.data.forEach((item: unknown, position) => {
    const entry = item as { index?: unknown; embedding?: unknown } | null;
    const index = typeof entry?.index === 'number' ? entry.index : position;
    const vector = readVector(entry?.embedding);
    if (!Number.isInteger(index) || index < 0 || index >= count || vectors[index] !== undefined)
      throw badResponse(`embedding index ${String(index)} is out of place`);
    if (!vector) throw badResponse(`embedding ${index} is not a list of numbers`);
    vectors[index] = vector;
  });
  const usage = (root.usage ?? {}) as { prompt_tokens?: unknown; total_tokens?: unknown };
  const prompt = tokens(usage.prompt_tokens);
  return {
    vectors,
    usage: { prompt_tokens: prompt, total_tokens: tokens(usage.total_tokens) || prompt },
    model: typeof root.model === 'string' ? root.model : upstreamModel,
  };
}

function readVector(value: unknown): number[] | undefined {
  const vector = typeof value === 'string' ? decodeFloat32Base64(value) : value;
  if (!Array.isArray(vector) || vector.length === 0) return undefined;
  for (const n of vector) if (typeof n !== 'number' || !Number.isFinite(n)) return undefined;
  return vector as number[];
}

function tokens(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.round(value) : 0;
}
