import type { Dispatcher, Pool } from 'undici';
import type { AbortSignalLike } from '../../common/linked-abort.js';
import { merged } from '../../common/merged.js';
import { classifyNetworkError, streamReadFailure } from '../classify-network.js';
import { dispatchStream, type StreamingResponse } from '../dispatch-stream.js';
import { encodeJsonBody } from '../local-failure.js';
import { dispatchText, headerMap, type TextResponse } from '../openai-compatible/dispatch-text.js';
import { providerSecrets } from '../redact-secrets.js';
import type { ChatCompletion, ChatProvider, ProviderRequest, StreamBatch, StreamEvent } from '../types.js';
import { UpstreamError } from '../upstream-error.js';
import { createUpstreamPool, type UpstreamPoolOptions } from '../upstream-pool.js';
import { classifyAnthropicError } from './classify.js';
import { convertRequest } from './convert-request.js';
import { convertResponse } from './convert-response.js';
import { AnthropicStreamConverter } from './convert-stream.js';
import { anthropicNative, nativeRequest, withAnthropicAnswer } from './native-body.js';
import { parseSseEvents, type SseEvent } from './parse-sse-events.js';
import type { MessagesRequest } from './wire-types.js';

export const ANTHROPIC_VERSION = '2023-06-01';

export interface AnthropicProviderOptions extends UpstreamPoolOptions {
  id: string;
  /** What Anthropic's SDK takes as its base URL, e.g. https://api.anthropic.com; requests go to `{baseUrl}/v1/messages`. */
  baseUrl: string;
  /** Secret. Sent as `x-api-key`, never anywhere else. */
  apiKey?: string;
  headers?: Readonly<Record<string, string>>;
}

/**
 * Claude through Anthropic's own Messages API, over one keep-alive undici pool per provider. The
 * engine's OpenAI-shaped request is translated on the way out and the answer (JSON or SSE) on the
 * way back, by the pure converters beside this file; a field that cannot be translated is reported by
 * `unsupported` before any call.
 */
export class AnthropicProvider implements ChatProvider {
  readonly id: string;
  readonly #pool: Pool;
  readonly #path: string;
  readonly #headers: Record<string, string>;
  readonly #socketTimeoutMs: number;
  /** The key and header values, redacted from anything the upstream says. */
  readonly #secrets: readonly string[];

  constructor(options: AnthropicProviderOptions) {
    this.id = options.id;
    const url = new URL(options.baseUrl);
    this.#path = `${url.pathname.replace(/\/+$/, '')}/v1/messages`;
    const upstream = createUpstreamPool(url.origin, options);
    this.#pool = upstream.pool;
    this.#headers = {
      ...options.headers,
      'content-type': 'application/json',
      'anthropic-version': ANTHROPIC_VERSION,
    };
    if (options.apiKey) this.#headers['x-api-key'] = options.apiKey;
    this.#socketTimeoutMs = upstream.socketTimeoutMs;
    this.#secrets = providerSecrets(options.apiKey, options.headers);
  }

  unsupported(request: Omit<ProviderRequest, 'signal'>): string | undefined {
    // An inbound Anthropic body is sent as it came: Anthropic judges it.
    if (nativeRequest(request.body, request.upstreamModel, false)) return undefined;
    const converted = convertRequest(merged(request, { stream: request.body.stream === true }));
    return converted.ok ? undefined : converted.problem;
  }

  async complete(request: ProviderRequest): Promise<ChatCompletion> {
    const { body, prefillTrimmed } = this.#convert(request, false);
    const encoded = encodeJsonBody(body);
    let response: TextResponse;
    try {
      response = await dispatchText(
        this.#pool,
        this.#post(request, encoded, 'application/json'),
        request.signal,
      );
    } catch (error) {
      if (request.signal.aborted) throw request.signal.reason;
      throw classifyNetworkError(error);
    }
    if (response.statusCode < 200 || response.statusCode > 299) {
      throw classifyAnthropicError(
        response.statusCode,
        headerMap(response.rawHeaders),
        response.text,
        this.#secrets,
      );
    }
    const completion = convertResponse(response.text, {
      createdS: nowS(),
      upstreamModel: request.upstreamModel,
      prefillTrimmed,
    });
    // A caller on Anthropic's wire gets Claude's own answer back (thinking blocks included).
    return anthropicNative(request.body) && prefillTrimmed === ''
      ? withAnthropicAnswer(completion, JSON.parse(response.text))
      : completion;
  }

  async stream(request: ProviderRequest): Promise<AsyncIterableIterator<StreamBatch>> {
    const { body, prefillTrimmed } = this.#convert(request, true);
    const encoded = encodeJsonBody(body);
    let response: StreamingResponse;
    try {
      response = await dispatchStream(
        this.#pool,
        this.#post(request, encoded, 'text/event-stream'),
        request.signal,
      );
    } catch (error) {
      if (request.signal.aborted) throw request.signal.reason;
      throw classifyNetworkError(error);
    }
    if (response.statusCode < 200 || response.statusCode > 299) {
      const text = await response.body.text();
      throw classifyAnthropicError(response.statusCode, response.headers(), text, this.#secrets);
    }
    const converter = new AnthropicStreamConverter({
      createdS: nowS(),
      upstreamModel: request.upstreamModel,
      prefillTrimmed,
      secrets: this.#secrets,
      keepThinking: anthropicNative(request.body) !== undefined,
    });
    return guardStream(parseSseEvents(response.body), converter, request.signal);
  }

  async close(): Promise<void> {
    await this.#pool.destroy();
  }

  /** The upstream call of one request: `POST {base_url}/v1/messages`, our headers over the call's. */
  #post(request: ProviderRequest, encoded: string, accept: string): Dispatcher.DispatchOptions {
    return {
      path: this.#path,
      method: 'POST',
      headers: { ...request.headers, ...this.#headers, ...betaHeader(request), accept },
      body: encoded,
      headersTimeout: this.#socketTimeoutMs,
      bodyTimeout: this.#socketTimeoutMs,
    };
  }

  #convert(request: ProviderRequest, stream: boolean): { body: MessagesRequest; prefillTrimmed: string } {
    const native = nativeRequest(request.body, request.upstreamModel, stream);
    if (native) return native;
    const converted = convertRequest(merged(request, { stream }));
    if (!converted.ok) {
      throw new UpstreamError({
        kind: 'client',
        code: 'unsupported_field',
        providerMessage: converted.problem,
      });
    }
    return converted;
  }
}

/** The inbound caller's `anthropic-beta` features, for a request that carries its Anthropic body. */
function betaHeader(request: ProviderRequest): Record<string, string> {
  const beta = anthropicNative(request.body)?.beta;
  return beta ? { 'anthropic-beta': beta } : {};
}

function nowS(): number {
  return Math.floor(Date.now() / 1000);
}

/**
 * Converts the Anthropic events, a batch per network read, and ends at `message_stop`. A broken body
 * becomes a transient `stream_broken`; an `error` event is one already (thrown by the converter, after
 * what came before it in the same read is passed on).
 */
async function* guardStream(
  batches: AsyncGenerator<SseEvent[]>,
  converter: AnthropicStreamConverter,
  signal: AbortSignalLike,
): AsyncGenerator<StreamBatch> {
  try {
    for await (const batch of batches) {
      const out: StreamEvent[] = [];
      let failure: unknown;
      let done = false;
      try {
        read: for (const sse of batch) {
          for (const event of converter.accept(sse)) {
            out.push(event);
            if (event.type === 'done') {
              done = true;
              break read;
            }
          }
        }
      } catch (error) {
        failure = error;
      }
      if (out.length > 0) yield out;
      if (failure !== undefined) throw failure;
      if (done) return;
    }
  } catch (error) {
    throw streamReadFailure(error, signal);
  } finally {
    void batches.return(undefined);
  }
}
