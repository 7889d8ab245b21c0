import type { AbortSignalLike } from '../common/linked-abort.js';
import type { EmbeddingRequest, EmbeddingResult } from './embedding-types.js';

/**
 * The provider contract: what the engine needs from an upstream, and nothing more.
 * An adapter turns one chat request into one upstream call; retries, fallbacks and breakers are the
 * engine's business. Anthropic or Gemini adapters implement this same interface.
 */

/** An OpenAI chat-completions request body. Fields we do not know are passed through untouched. */
export interface ChatRequestBody {
  model?: string;
  messages: unknown[];
  stream?: boolean;
  max_tokens?: number;
  [field: string]: unknown;
}

/**
 * Token counts in OpenAI's fields. `prompt_tokens` counts every prompt token, cached ones included;
 * `prompt_tokens_details` says how many of them were read from (`cached_tokens`) or written to
 * (`cache_write_tokens`, OpenRouter's name) the provider's prompt cache, which the cost prices apart.
 */
export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details?: { cached_tokens?: number; cache_write_tokens?: number; [field: string]: unknown };
  [field: string]: unknown;
}

export interface ChatCompletion {
  id?: string;
  object?: string;
  created?: number;
  model?: string;
  choices: Array<{ index?: number; message?: unknown; finish_reason?: string | null; [f: string]: unknown }>;
  usage?: Usage;
  [field: string]: unknown;
}

export interface ChatCompletionChunk {
  id?: string;
  object?: string;
  created?: number;
  model?: string;
  choices: Array<{
    index?: number;
    delta?: { role?: string; content?: string | null; tool_calls?: unknown[]; [f: string]: unknown };
    finish_reason?: string | null;
    [f: string]: unknown;
  }>;
  usage?: Usage | null;
  [field: string]: unknown;
}

/**
 * What the engine reads of a stream chunk: enough to commit, finish, count usage and continue a
 * broken answer, without the chunk itself.
 */
export interface ChunkFacts {
  /** The text of `choices[0].delta.content` ('' when none). */
  text: string;
  /** Some delta has a field other than `role` with a value: text, tool calls, a refusal, reasoning. */
  hasContent: boolean;
  /** Some choice has a `finish_reason`. */
  finished: boolean;
  /** `choices` is empty (a usage chunk). */
  noChoices: boolean;
  /** `choices[0].delta.tool_calls` is a non-empty list. */
  toolCalls: boolean;
  usage: Usage | undefined;
}

/**
 * What a stream carries: parsed chunks, chunks that were not valid JSON, and the end marker. A chunk
 * may keep `raw`, the upstream's JSON text of it, when it is an OpenAI chunk exactly as it came: the
 * chat-completions endpoint forwards that text (or the bytes it came in) instead of serialising the
 * chunk again. It may carry its `facts` (what the engine reads of it), known without building the
 * chunk: then `chunk` is built only when something asks for it.
 */
export type StreamEvent =
  | {
      type: 'chunk';
      readonly chunk: ChatCompletionChunk;
      raw?: string;
      facts?: ChunkFacts;
      /**
       * The upstream's bytes that hold this chunk's SSE frame, `data: <raw>\n\n` exactly, at
       * `[frameFrom, frameTo)`: set when the frame came that way, in one read. Consecutive chunks of
       * one read are then written to the caller as those bytes, not encoded again.
       */
      frameBytes?: Buffer;
      frameFrom?: number;
      frameTo?: number;
    }
  | { type: 'malformed'; data: string }
  | { type: 'done' };

/** A chunk event: a chunk, and its upstream JSON text while it is unchanged. */
export type ChunkEvent = Extract<StreamEvent, { type: 'chunk' }>;

/**
 * The events one network read carried, in order (never empty). A stream moves batch by batch: one
 * await per read rather than per event, and one write to the caller per batch, however many chunks
 * a read held.
 */
export type StreamBatch = readonly StreamEvent[];

/** The wires an adapter can speak (the config's provider `type`). */
export type ProviderWire = 'openai' | 'anthropic' | 'gemini';

export interface ProviderRequest {
  /** The caller's body. Adapters must not mutate it. */
  body: ChatRequestBody;
  /** The model name to send upstream. */
  upstreamModel: string;
  /** The model's `max_output_tokens`, for wires that require a limit (Anthropic) when the body sets none. */
  maxOutputTokens?: number;
  /** Aborts the upstream request (caller gone, deadline, timeout, hedge lost). A real AbortSignal works. */
  signal: AbortSignalLike;
  /** Extra headers for this one call (trace context); adapters add them to their own. */
  headers?: Readonly<Record<string, string>> | undefined;
}

export interface ChatProvider {
  readonly id: string;
  /** One non-streaming call. Resolves with a validated completion or throws an UpstreamError. */
  complete(request: ProviderRequest): Promise<ChatCompletion>;
  /**
   * One streaming call. Resolves once the upstream has answered 200 with its headers; the iterator then
   * yields the events of each network read as one batch, and throws an UpstreamError if the stream
   * breaks.
   */
  stream(request: ProviderRequest): Promise<AsyncIterableIterator<StreamBatch>>;
  /**
   * What this upstream's wire cannot honour in the request, checked before any call: a message naming
   * the field (`n: 2 is not supported by anthropic models`), or undefined. The engine skips the model
   * (reason `unsupported`); when no model of the chain can take the request, the caller gets a 400
   * with this message. Never silently drop a field instead.
   */
  unsupported?(request: Omit<ProviderRequest, 'signal'>): string | undefined;
  /**
   * Optional: one embeddings call (`POST /v1/embeddings` and the like). Resolves with one vector per
   * input, in order, or throws an UpstreamError classified like a chat call's. Adapters without it
   * serve no embeddings (config loading refuses embedding models on them).
   */
  embed?(request: EmbeddingRequest): Promise<EmbeddingResult>;
  /** Optional: what this wire cannot honour in an embeddings request (`input` as token arrays), or undefined. */
  embedUnsupported?(request: Omit<EmbeddingRequest, 'signal'>): string | undefined;
  close(): Promise<void>;
}
