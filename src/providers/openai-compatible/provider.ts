import type { Dispatcher, Pool } from 'undici';
import type { AbortSignalLike } from '../../common/linked-abort.js';
import { merged } from '../../common/merged.js';
import { classifyNetworkError, streamReadFailure } from '../classify-network.js';
import { dispatchStream, type StreamingResponse } from '../dispatch-stream.js';
import type { EmbeddingRequest, EmbeddingResult } from '../embedding-types.js';
import { encodeJsonBody } from '../local-failure.js';
import { keepRawJson } from '../raw-json.js';
import { providerSecrets } from '../redact-secrets.js';
import type {
  ChatCompletion,
  ChatProvider,
  ChatRequestBody,
  ProviderRequest,
  StreamBatch,
} from '../types.js';
import { UpstreamError } from '../upstream-error.js';
import { createUpstreamPool, type UpstreamPoolOptions } from '../upstream-pool.js';
import { classifyHttpError } from './classify.js';
import { dispatchText, headerMap, type TextResponse } from './dispatch-text.js';
import { type EmbedTransport, embedOpenAI } from './embed.js';
import { parseSse } from './sse.js';

export interface OpenAICompatibleOptions extends UpstreamPoolOptions {
  id: string;
  /** e.g. https://api.deepseek.com/v1 */
  baseUrl: string;
  /** Secret. Sent as `Authorization: Bearer …`, never anywhere else. */
  apiKey?: string;
  headers?: Readonly<Record<string, string>>;
  /** Keep-alive connections in this provider's pool. */
}

/**
 * One adapter for every OpenAI-compatible chat-completions API, over one pooled keep-alive undici
 * connection pool per provider. The body passes through untouched except `model` and, for streams,
 * `stream_options.include_usage` (so usage and cost are known).
 */
export class OpenAICompatibleProvider implements ChatProvider {
  readonly id: string;
  readonly #pool: Pool;
  readonly #path: string;
  readonly #headers: Record<string, string>;
  readonly #socketTimeoutMs: number;
  /** Our own secrets, redacted from whatever the upstream says back. */
  readonly #secrets: readonly string[];
  /** `{base_url}/embeddings` over the same pool. */
  readonly #embeddings: EmbedTransport;

  constructor(options: OpenAICompatibleOptions) {
    this.id = options.id;
    const url = new URL(options.baseUrl);
    this.#path = `${url.pathname.replace(/\/+$/, '')}/chat/completions`;
    const upstream = createUpstreamPool(url.origin, options);
    this.#pool = upstream.pool;
    this.#headers = { ...options.headers, 'content-type': 'application/json', accept: 'application/json' };
    if (options.apiKey) this.#headers.authorization = `Bearer ${options.apiKey}`;
    this.#socketTimeoutMs = upstream.socketTimeoutMs;
    this.#secrets = providerSecrets(options.apiKey, options.headers);
    this.#embeddings = {
      pool: this.#pool,
      path: `${url.pathname.replace(/\/+$/, '')}/embeddings`,
      headers: this.#headers,
      socketTimeoutMs: this.#socketTimeoutMs,
      secrets: this.#secrets,
    };
  }

  embed(request: EmbeddingRequest): Promise<EmbeddingResult> {
    return embedOpenAI(this.#embeddings, request);
  }

  async complete(request: ProviderRequest): Promise<ChatCompletion> {
    let response: TextResponse;
    // Encoded before the call: a body that cannot be encoded is the caller's, not a network error.
    const payload = encodeJsonBody(merged(request.body, { model: request.upstreamModel, stream: false }));
    try {
      response = await dispatchText(this.#pool, this.#post(request, payload), request.signal);
    } catch (error) {
      if (request.signal.aborted) throw request.signal.reason;
      throw classifyNetworkError(error);
    }
    if (response.statusCode < 200 || response.statusCode > 299) {
      throw classifyHttpError(
        response.statusCode,
        headerMap(response.rawHeaders),
        response.text,
        this.#secrets,
      );
    }
    return parseCompletion(response.text, request.upstreamModel);
  }

  async stream(request: ProviderRequest): Promise<AsyncIterableIterator<StreamBatch>> {
    const response = await this.#send(request, withUsage(request.body, request.upstreamModel));
    if (response.statusCode < 200 || response.statusCode > 299) {
      const text = await response.body.text();
      throw classifyHttpError(response.statusCode, response.headers(), text, this.#secrets);
    }
    return guardStream(parseSse(response.body), request.signal, this.#secrets);
  }

  async close(): Promise<void> {
    await this.#pool.destroy();
  }

  /** The upstream call of one request: `POST {base_url}/chat/completions`, our headers over the call's. */
  #post(request: ProviderRequest, payload: string): Dispatcher.DispatchOptions {
    return {
      path: this.#path,
      method: 'POST',
      headers: withCallHeaders(this.#headers, request.headers),
      body: payload,
      headersTimeout: this.#socketTimeoutMs,
      bodyTimeout: this.#socketTimeoutMs,
    };
  }

  async #send(request: ProviderRequest, body: ChatRequestBody): Promise<StreamingResponse> {
    const payload = encodeJsonBody(body);
    try {
      return await dispatchStream(this.#pool, this.#post(request, payload), request.signal);
    } catch (error) {
      if (request.signal.aborted) throw request.signal.reason;
      throw classifyNetworkError(error);
    }
  }
}

function withUsage(body: ChatRequestBody, upstreamModel: string): ChatRequestBody {
  const options = body.stream_options;
  const streamOptions =
    options && typeof options === 'object'
      ? merged(options as object, { include_usage: true })
      : { include_usage: true };
  return merged(body, { model: upstreamModel, stream: true, stream_options: streamOptions });
}

/** A 200 is only a success if it is a completion: invalid JSON or no choices is a transient failure. */
export function parseCompletion(text: string, upstreamModel: string): ChatCompletion {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    throw new UpstreamError({
      kind: 'transient',
      code: 'bad_response',
      status: 200,
      providerMessage: 'invalid JSON',
      cause,
    });
  }
  const completion = parsed as ChatCompletion;
  if (!completion || typeof completion !== 'object' || !Array.isArray(completion.choices)) {
    throw new UpstreamError({
      kind: 'transient',
      code: 'bad_response',
      status: 200,
      providerMessage: 'no choices',
    });
  }
  if (completion.choices.length === 0) {
    throw new UpstreamError({
      kind: 'transient',
      code: 'bad_response',
      status: 200,
      providerMessage: 'empty choices',
    });
  }
  if (completion.model === undefined || completion.model === null) {
    completion.model = upstreamModel;
    return completion;
  }
  // Unchanged: the endpoint may send the upstream's own text.
  return keepRawJson(completion, text);
}

/** Turns a broken body into a classified `stream_broken` error, and an upstream `error` payload into its class. */
async function* guardStream(
  batches: AsyncGenerator<StreamBatch>,
  signal: AbortSignalLike,
  secrets: readonly string[],
): AsyncGenerator<StreamBatch> {
  try {
    for await (const batch of batches) {
      // A scanned chunk (with facts) has no `error` field: only a parsed one is looked into.
      const failed = batch.findIndex(
        (event) => event.type === 'chunk' && event.facts === undefined && event.chunk.error !== undefined,
      );
      if (failed === -1) {
        yield batch;
        continue;
      }
      // What came before the error payload is passed on first, as it would be had it come in its own read.
      if (failed > 0) yield batch.slice(0, failed);
      const event = batch[failed] as { chunk: { error?: unknown } };
      throw classifyHttpError(500, {}, errorPayloadText(event.chunk.error), secrets);
    }
  } catch (error) {
    throw streamReadFailure(error, signal);
  }
}

/** An upstream's in-stream `error` payload as text to classify; one JSON cannot re-encode is still an error. */
function errorPayloadText(error: unknown): string {
  try {
    return JSON.stringify({ error });
  } catch {
    return '';
  }
}

/** The provider's headers, plus one call's (trace context) when it has any; the provider's win. */
function withCallHeaders(
  own: Record<string, string>,
  call: Readonly<Record<string, string>> | undefined,
): Record<string, string> {
  return call === undefined ? own : merged(call, own);
}
