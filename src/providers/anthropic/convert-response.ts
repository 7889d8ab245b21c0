import type { ChatCompletion } from '../types.js';
import { UpstreamError } from '../upstream-error.js';
import { mapFinishReason } from './map-finish-reason.js';
import { mapUsage } from './map-usage.js';
import type { MessagesResponse } from './wire-types.js';

export interface ResponseContext {
  /** Seconds since the epoch (Anthropic sends no timestamp; OpenAI's `created` needs one). */
  createdS: number;
  upstreamModel: string;
  /** Whitespace cut from the end of a prefill: cut from the start of the answer too (the caller has it). */
  prefillTrimmed?: string;
}

export interface OpenAIToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

/**
 * An Anthropic Messages answer (the 200 body's text) → an OpenAI chat completion: text blocks join
 * into `content` (null when there is none), `tool_use` blocks become `tool_calls` with their input as
 * a JSON string, the stop reason and usage are mapped. Other blocks (thinking, which we never ask
 * for) are left out. Anything but a message is a transient `bad_response`.
 */
export function convertResponse(text: string, ctx: ResponseContext): ChatCompletion {
  const message = parseMessage(text);
  let content = '';
  const toolCalls: OpenAIToolCall[] = [];
  for (const block of message.content) {
    if (block.type === 'text' && typeof block.text === 'string') content += block.text;
    else if (block.type === 'tool_use') {
      toolCalls.push({
        id: String(block.id),
        type: 'function',
        function: { name: String(block.name), arguments: JSON.stringify(block.input ?? {}) },
      });
    }
  }
  content = stripLeading(content, ctx.prefillTrimmed ?? '');
  return {
    id: message.id,
    object: 'chat.completion',
    created: ctx.createdS,
    model: typeof message.model === 'string' ? message.model : ctx.upstreamModel,
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: content === '' && toolCalls.length > 0 ? null : content,
          ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
        },
        finish_reason: mapFinishReason(message.stop_reason) ?? 'stop',
      },
    ],
    usage: mapUsage(message.usage),
  };
}

/** Removes from `text` the longest start it shares with `whitespace` (what the caller already has). */
export function stripLeading(text: string, whitespace: string): string {
  let i = 0;
  while (i < whitespace.length && i < text.length && text[i] === whitespace[i]) i++;
  return i === 0 ? text : text.slice(i);
}

function parseMessage(text: string): MessagesResponse {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    throw badResponse('invalid JSON', cause);
  }
  const message = parsed as MessagesResponse | null;
  if (!message || typeof message !== 'object' || message.type !== 'message')
    throw badResponse('not a message');
  if (!Array.isArray(message.content)) throw badResponse('no content');
  return message;
}

function badResponse(detail: string, cause?: unknown): UpstreamError {
  return new UpstreamError({
    kind: 'transient',
    code: 'bad_response',
    status: 200,
    providerMessage: detail,
    cause,
  });
}
