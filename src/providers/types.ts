import type { AbortSignalLike } from '../common/linked-abort.js';

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

export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
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

/** What a stream yields: parsed chunks, chunks that were not valid JSON, and the end marker. */
export type StreamEvent =
  | { type: 'chunk'; chunk: ChatCompletionChunk }
  | { type: 'malformed'; data: string }
  | { type: 'done' };

export interface ProviderRequest {
  /** The caller's body. Adapters must not mutate it. */
  body: ChatRequestBody;
  /** The model name to send upstream. */
  upstreamModel: string;
  /** Aborts the upstream request (caller gone, deadline, timeout, hedge lost). A real AbortSignal works. */
  signal: AbortSignalLike;
}

export interface ChatProvider {
  readonly id: string;
  /** One non-streaming call. Resolves with a validated completion or throws an UpstreamError. */
  complete(request: ProviderRequest): Promise<ChatCompletion>;
  /**
   * One streaming call. Resolves once the upstream has answered 200 with its headers; the iterator then
   * yields events as they arrive and throws an UpstreamError if the stream breaks.
   */
  stream(request: ProviderRequest): Promise<AsyncIterableIterator<StreamEvent>>;
  close(): Promise<void>;
}
