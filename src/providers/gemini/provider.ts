import { randomBytes } from 'node:crypto';
import type { Pool } from 'undici';
import { classifyNetworkError } from '../classify-network.js';
import { dispatchStream, type StreamingResponse } from '../dispatch-stream.js';
import type { EmbeddingRequest, EmbeddingResult } from '../embedding-types.js';
import { encodeJsonBody } from '../local-failure.js';
import { dispatchText, headerMap, type TextResponse } from '../openai-compatible/dispatch-text.js';
import { providerSecrets } from '../redact-secrets.js';
import type { ChatCompletion, ChatProvider, ProviderRequest, StreamBatch } from '../types.js';
import { UpstreamError } from '../upstream-error.js';
import { createUpstreamPool, type UpstreamPoolOptions } from '../upstream-pool.js';
import { classifyGeminiError } from './classify.js';
import { embedUnsupportedField, fromBatchEmbedResponse, toBatchEmbedRequest } from './convert-embeddings.js';
import { convertRequest } from './convert-request.js';
import { convertResponse, type ResponseContext } from './convert-response.js';
import { StreamConverter } from './convert-stream.js';
import { geminiEvents } from './stream-events.js';
import type { GeminiRequest, GeminiResponse } from './wire-types.js';

export interface GeminiProviderOptions extends UpstreamPoolOptions {
  id: string;
  /** What the Gemini SDK takes as its base, e.g. https://generativelanguage.googleapis.com */
  baseUrl: string;
  /** Secret. Sent only as `x-goog-api-key` (never `?key=` in the URL). */
  apiKey?: string;
  headers?: Readonly<Record<string, string>>;
}

/** The Gemini API version in the request paths. */
const API_VERSION = 'v1beta';

/**
 * The native Gemini API adapter: OpenAI chat bodies are translated to `generateContent` /
 * `streamGenerateContent?alt=sse` requests and the answers back, over one pooled keep-alive undici
 * pool per provider. A field without a faithful translation is reported by `unsupported` (the engine
 * then skips the model, or answers 400) and never sent.
 */
export class GeminiProvider implements ChatProvider {
  readonly id: string;
  readonly #pool: Pool;
  readonly #basePath: string;
  readonly #headers: Record<string, string>;
  readonly #socketTimeoutMs: number;
  /** The key and header values, redacted from anything the upstream says. */
  readonly #secrets: readonly string[];

  constructor(options: GeminiProviderOptions) {
    this.id = options.id;
    const url = new URL(options.baseUrl);
    this.#basePath = `${url.pathname.replace(/\/+$/, '')}/${API_VERSION}`;
    const upstream = createUpstreamPool(url.origin, options);
    this.#pool = upstream.pool;
    this.#headers = { ...options.headers, 'content-type': 'application/json' };
    if (options.apiKey) this.#headers['x-goog-api-key'] = options.apiKey;
    this.#socketTimeoutMs = upstream.socketTimeoutMs;
    this.#secrets = providerSecrets(options.apiKey, options.headers);
  }

  unsupported(request: Omit<ProviderRequest, 'signal'>): string | undefined {
    const converted = convertRequest(request.body);
    return converted.ok ? undefined : converted.message;
  }

  async complete(request: ProviderRequest): Promise<ChatCompletion> {
    const body = encodeJsonBody(toGemini(request));
    let response: TextResponse;
    try {
      response = await dispatchText(
        this.#pool,
        {
          path: this.#path(request.upstreamModel, 'generateContent'),
          method: 'POST',
          headers: { ...request.headers, ...this.#headers, accept: 'application/json' },
          body,
          headersTimeout: this.#socketTimeoutMs,
          bodyTimeout: this.#socketTimeoutMs,
        },
        request.signal,
      );
    } catch (error) {
      if (request.signal.aborted) throw request.signal.reason;
      throw classifyNetworkError(error);
    }
    if (response.statusCode < 200 || response.statusCode > 299) {
      throw classifyGeminiError(
        response.statusCode,
        headerMap(response.rawHeaders),
        response.text,
        this.#secrets,
      );
    }
    let parsed: GeminiResponse;
    try {
      parsed = JSON.parse(response.text) as GeminiResponse;
    } catch (cause) {
      throw new UpstreamError({
        kind: 'transient',
        code: 'bad_response',
        status: 200,
        providerMessage: 'invalid JSON',
        cause,
      });
    }
    if (!parsed || typeof parsed !== 'object') {
      throw new UpstreamError({
        kind: 'transient',
        code: 'bad_response',
        status: 200,
        providerMessage: 'not an object',
      });
    }
    return convertResponse(parsed, context(request.upstreamModel));
  }

  async stream(request: ProviderRequest): Promise<AsyncIterableIterator<StreamBatch>> {
    const body = encodeJsonBody(toGemini(request));
    let response: StreamingResponse;
    try {
      response = await dispatchStream(
        this.#pool,
        {
          path: `${this.#path(request.upstreamModel, 'streamGenerateContent')}?alt=sse`,
          method: 'POST',
          headers: { ...request.headers, ...this.#headers, accept: 'text/event-stream' },
          body,
          headersTimeout: this.#socketTimeoutMs,
          bodyTimeout: this.#socketTimeoutMs,
        },
        request.signal,
      );
    } catch (error) {
      if (request.signal.aborted) throw request.signal.reason;
      throw classifyNetworkError(error);
    }
    if (response.statusCode < 200 || response.statusCode > 299) {
      const text = await response.body.text();
      throw classifyGeminiError(response.statusCode, response.headers(), text, this.#secrets);
    }
    return geminiEvents(
      response.body,
      new StreamConverter(context(request.upstreamModel)),
      request.signal,
      this.#secrets,
    );
  }

  embedUnsupported(request: Omit<EmbeddingRequest, 'signal'>): string | undefined {
    return embedUnsupportedField(request);
  }

  /** `models/{model}:batchEmbedContents` (one call for one input or many), in OpenAI's order. */
  async embed(request: EmbeddingRequest): Promise<EmbeddingResult> {
    const problem = embedUnsupportedField(request);
    if (problem !== undefined) {
      // The engine asks `embedUnsupported` first, so this is only reached by a direct caller.
      throw new UpstreamError({ kind: 'client', code: 'unsupported_field', providerMessage: problem });
    }
    const body = encodeJsonBody(toBatchEmbedRequest(request));
    let response: TextResponse;
    try {
      response = await dispatchText(
        this.#pool,
        {
          path: this.#path(request.upstreamModel, 'batchEmbedContents'),
          method: 'POST',
          headers: { ...this.#headers, accept: 'application/json' },
          body,
          headersTimeout: this.#socketTimeoutMs,
          bodyTimeout: this.#socketTimeoutMs,
        },
        request.signal,
      );
    } catch (error) {
      if (request.signal.aborted) throw request.signal.reason;
      throw classifyNetworkError(error);
    }
    if (response.statusCode < 200 || response.statusCode > 299) {
      throw classifyGeminiError(
        response.statusCode,
        headerMap(response.rawHeaders),
        response.text,
        this.#secrets,
      );
    }
    const texts = request.inputs.kind === 'text' ? request.inputs.texts : [];
    return fromBatchEmbedResponse(response.text, texts, request.upstreamModel);
  }

  async close(): Promise<void> {
    await this.#pool.destroy();
  }

  #path(model: string, method: string): string {
    const name = model.replace(/^models\//, '');
    return `${this.#basePath}/models/${name.split('/').map(encodeURIComponent).join('/')}:${method}`;
  }
}

function toGemini(request: ProviderRequest): GeminiRequest {
  const converted = convertRequest(request.body);
  if (!converted.ok) {
    // The engine asks `unsupported` first, so this is only reached by a direct caller.
    throw new UpstreamError({
      kind: 'client',
      code: 'unsupported_field',
      providerMessage: converted.message,
    });
  }
  return converted.request;
}

function context(model: string): ResponseContext {
  return {
    model,
    createdS: Math.floor(Date.now() / 1000),
    fallbackId: `gen-${randomBytes(8).toString('hex')}`,
  };
}
