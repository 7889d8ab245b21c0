import type { Fault } from './faults.js';
import type { MockStats } from './stats.js';

/** The vendor wire a simulated provider speaks. */
export type MockProtocol = 'openai' | 'anthropic' | 'gemini';

export interface MockProviderOptions {
  /**
   * Default 'openai' (chat completions). 'anthropic' serves the Messages API (`/v1/messages`),
   * 'gemini' the Gemini API (`/v1beta/models/{model}:generateContent` and `:streamGenerateContent`),
   * each with the vendor's bodies, SSE events, error shapes and headers.
   */
  protocol?: MockProtocol;
  /** Default 0 (ephemeral). */
  port?: number;
  /** Default '127.0.0.1'. */
  host?: string;
  /** Label used in the default reply text and /__stats. Default 'mock'. */
  name?: string;
  /** Delay before headers (non-stream: before the whole answer). Default 0. */
  latencyMs?: number;
  /** Streaming pace; 0/undefined = as fast as possible. */
  tokensPerSec?: number;
  /** Default 'ok'. */
  fault?: string | Fault;
  /** Seeds the PRNG used by flaky:P. Default 1. */
  seed?: number;
  /** Assistant text; default `Hello from ${name}, a simulated provider.`; streamed one word per chunk. */
  reply?: string;
  /**
   * If set (non-empty), requests must send `Authorization: Bearer <apiKey>` (anthropic: `x-api-key:
   * <apiKey>`), else 401. Only a hash is kept.
   */
  apiKey?: string;
  /**
   * Does this provider continue a trailing assistant message (prefill)? Default true: the reply then
   * resumes after that text when the reply starts with it. False: such a request gets a 400, as some
   * providers answer.
   */
  assistantPrefill?: boolean;
  /** With `tools` in a streaming request, stream a call to this tool (the reply's words as its arguments). */
  toolCall?: string;
  /**
   * Prompt tokens the answer's usage reports as read from / written to the prompt cache (anthropic:
   * `cache_read_input_tokens` / `cache_creation_input_tokens`). Default 0.
   */
  cacheReadTokens?: number;
  cacheWriteTokens?: number;
  /**
   * Gemini: reported as `usageMetadata.cachedContentTokenCount` (and counted in `promptTokenCount`,
   * as Gemini does). Default 0.
   */
  cachedTokens?: number;
  /** Gemini: reported as `usageMetadata.thoughtsTokenCount` (thinking tokens). Default 0. */
  thoughtsTokens?: number;
  /**
   * Length of the simulated embedding vectors when a request asks for no `dimensions` /
   * `outputDimensionality` (OpenAI wire: `/v1/embeddings`; Gemini: `:batchEmbedContents`,
   * `:embedContent`). Default 1536.
   */
  embeddingDimensions?: number;
  /** Log ring-buffer size. Default 1000. */
  maxLogEntries?: number;
}

export interface MockProvider {
  /** 'http://127.0.0.1:PORT' (no trailing slash). */
  url: string;
  /** What a gateway config uses as base_url (the vendor SDK's base): url + '/v1' for openai, url otherwise. */
  baseUrl: string;
  protocol: MockProtocol;
  port: number;
  /** Throws SwitchboardError('invalid_fault') on an invalid spec. Restarts down-for and reseeds flaky. */
  setFault(f: string | Fault): void;
  stats(): MockStats;
  /** Clears counts and log, restarts down-for timers, reseeds the flaky PRNG. Keeps the fault. */
  reset(): void;
  /** Closes the server and destroys every open socket (hanging ones included). */
  close(): Promise<void>;
}
