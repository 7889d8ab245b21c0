/** OpenAI-shaped success bodies: chat completions, stream chunks, the model list. */

export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

export interface ChatCompletion {
  id: string;
  object: 'chat.completion';
  created: number;
  model: string;
  choices: Array<{ index: number; message: { role: 'assistant'; content: string }; finish_reason: 'stop' }>;
  usage: Usage;
}

/** A streamed tool call's piece: the first carries id, type and name; the rest add to `arguments`. */
export interface ToolCallDelta {
  index: number;
  id?: string;
  type?: 'function';
  function: { name?: string; arguments: string };
}

export type Delta =
  | { role: 'assistant'; content: string }
  | { content: string }
  | { tool_calls: ToolCallDelta[] }
  | Record<string, never>;

export type FinishReason = 'stop' | 'tool_calls';

export interface ChatCompletionChunk {
  id: string;
  object: 'chat.completion.chunk';
  created: number;
  model: string;
  choices: Array<{ index: number; delta: Delta; finish_reason: FinishReason | null }>;
  usage?: Usage | null;
}

export interface ModelList {
  object: 'list';
  data: Array<{ id: string; object: 'model'; created: number; owned_by: string }>;
}

/** What one chat completion answer is about: fixed per request, shared by the JSON and SSE paths. */
export interface CompletionMeta {
  id: string;
  created: number;
  model: string;
}

/**
 * Splits the reply into stream pieces, one per whitespace-separated word, keeping the whitespace
 * (attached to the preceding word) so that the pieces concatenate back to the exact reply.
 */
export function splitWords(reply: string): string[] {
  const words = reply.match(/\s*\S+\s*/g);
  if (words) return words;
  return reply === '' ? [] : [reply];
}

function textLength(content: unknown): number {
  if (typeof content === 'string') return content.length;
  if (!Array.isArray(content)) return 0;
  let total = 0;
  for (const part of content) {
    if (part !== null && typeof part === 'object') {
      const text = (part as { text?: unknown }).text;
      if (typeof text === 'string') total += text.length;
    } else if (typeof part === 'string') {
      total += part.length;
    }
  }
  return total;
}

/** ceil(total characters of message contents / 4), at least 1. */
export function promptTokens(body: unknown): number {
  const messages = (body as { messages?: unknown } | undefined)?.messages;
  let chars = 0;
  if (Array.isArray(messages)) {
    for (const message of messages) {
      if (message !== null && typeof message === 'object') {
        chars += textLength((message as { content?: unknown }).content);
      }
    }
  }
  return Math.max(1, Math.ceil(chars / 4));
}

export function usage(prompt: number, completion: number): Usage {
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
}

export function completionBody(meta: CompletionMeta, content: string, tokens: Usage): ChatCompletion {
  return {
    id: meta.id,
    object: 'chat.completion',
    created: meta.created,
    model: meta.model,
    choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
    usage: tokens,
  };
}

export function emptyChoicesBody(meta: CompletionMeta, tokens: Usage): ChatCompletion {
  return {
    id: meta.id,
    object: 'chat.completion',
    created: meta.created,
    model: meta.model,
    choices: [],
    usage: tokens,
  };
}

/**
 * One `chat.completion.chunk`. With `include_usage`, OpenAI sends `usage: null` on every chunk but
 * the last one, which has `choices: []` and the totals; `withUsage` mirrors that.
 */
export function chunkBody(
  meta: CompletionMeta,
  delta: Delta,
  finishReason: FinishReason | null,
  withUsage: boolean,
): ChatCompletionChunk {
  const chunk: ChatCompletionChunk = {
    id: meta.id,
    object: 'chat.completion.chunk',
    created: meta.created,
    model: meta.model,
    choices: [{ index: 0, delta, finish_reason: finishReason }],
  };
  if (withUsage) chunk.usage = null;
  return chunk;
}

export function usageChunkBody(meta: CompletionMeta, tokens: Usage): ChatCompletionChunk {
  return {
    id: meta.id,
    object: 'chat.completion.chunk',
    created: meta.created,
    model: meta.model,
    choices: [],
    usage: tokens,
  };
}

export function modelListBody(name: string, created: number): ModelList {
  return {
    object: 'list',
    data: [{ id: name, object: 'model', created, owned_by: 'switchboard-mock' }],
  };
}
