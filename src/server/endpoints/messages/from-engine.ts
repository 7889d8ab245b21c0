import { randomUUID } from 'node:crypto';
import { anthropicAnswer } from '../../../providers/anthropic/native-body.js';
import type { ChatCompletion, Usage } from '../../../providers/types.js';
import type { ResultMetadata } from '../../../routing/index.js';
import { debugView } from '../../wire/metadata-headers.js';

/** OpenAI `finish_reason` → Anthropic `stop_reason` (the inverse of the adapter's table). */
export function stopReasonOf(finish: string | null | undefined): string {
  switch (finish) {
    case 'length':
      return 'max_tokens';
    case 'tool_calls':
    case 'function_call':
      return 'tool_use';
    case 'content_filter':
      return 'refusal';
    default:
      return 'end_turn';
  }
}

/**
 * OpenAI usage → Anthropic's: `input_tokens` leaves out the cached part of the prompt, which is
 * reported apart as read from (`cache_read_input_tokens`) or written to (`cache_creation_input_tokens`)
 * the prompt cache.
 */
export function anthropicUsage(usage: Usage | null | undefined) {
  const cacheRead = usage?.prompt_tokens_details?.cached_tokens ?? 0;
  const cacheWrite = usage?.prompt_tokens_details?.cache_write_tokens ?? 0;
  return {
    input_tokens: Math.max(0, (usage?.prompt_tokens ?? 0) - cacheRead - cacheWrite),
    output_tokens: usage?.completion_tokens ?? 0,
    cache_creation_input_tokens: cacheWrite,
    cache_read_input_tokens: cacheRead,
  };
}

/** A message id: the upstream's when it is Anthropic's (`msg_…`), else a new one in its style. */
export function messageId(upstreamId: string | undefined): string {
  return upstreamId?.startsWith('msg_') ? upstreamId : `msg_${randomUUID().replaceAll('-', '').slice(0, 24)}`;
}

interface ChatMessage {
  content?: string | null;
  refusal?: string | null;
  tool_calls?: Array<{ id?: string; function?: { name?: string; arguments?: string } }>;
}

/**
 * A chat completion → an Anthropic `message`: the text as a text block, each tool call as a
 * `tool_use` block (its arguments parsed back to `input`), the finish reason as `stop_reason`,
 * usage in Anthropic's fields. `model` is the model that answered. When Claude answered a request
 * that carried the caller's Anthropic body, its own answer is given back as it came (thinking blocks
 * and their signatures included). With `debug`, the attempt list
 * rides in a `switchboard` field.
 */
export function messageFromCompletion(completion: ChatCompletion, meta: ResultMetadata, debug: boolean) {
  const own = anthropicAnswer(completion);
  if (own) return debug ? { ...own, switchboard: debugView(meta) } : own;
  const choice = completion.choices[0];
  const message = (choice?.message ?? {}) as ChatMessage;
  const content: unknown[] = [];
  const text = message.content ?? message.refusal ?? '';
  if (text !== '') content.push({ type: 'text', text });
  for (const call of message.tool_calls ?? []) {
    content.push({
      type: 'tool_use',
      id: call.id ?? `toolu_${randomUUID().replaceAll('-', '').slice(0, 24)}`,
      name: call.function?.name ?? '',
      input: parseInput(call.function?.arguments),
    });
  }
  const answer = {
    id: messageId(completion.id),
    type: 'message',
    role: 'assistant',
    model: completion.model ?? meta.model ?? '',
    content,
    stop_reason: stopReasonOf(choice?.finish_reason),
    stop_sequence: null,
    usage: anthropicUsage(completion.usage),
  };
  return debug ? { ...answer, switchboard: debugView(meta) } : answer;
}

/** A tool call's `arguments` string → Anthropic's `input` object (`{}` when it is not a JSON object). */
export function parseInput(args: string | undefined): Record<string, unknown> {
  if (!args) return {};
  try {
    const parsed: unknown = JSON.parse(args);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
}
