import { randomUUID } from 'node:crypto';
import type { Usage } from '../../../providers/types.js';
import type { ResponsesRequest } from './validate-responses.js';

export type ResponseStatus = 'in_progress' | 'completed' | 'incomplete' | 'failed';

/** An item id in OpenAI's style: a prefix (`resp`, `msg`, `fc`) and 48 hex digits. */
export function itemId(prefix: string): string {
  return `${prefix}_${randomUUID().replaceAll('-', '')}${randomUUID().replaceAll('-', '').slice(0, 16)}`;
}

/** What every `response` object of one request shares: its id, its time, and the request's echo. */
export interface ResponseFrame {
  id: string;
  createdAtS: number;
  model: string;
  request: ResponsesRequest;
}

export function responseFrame(request: ResponsesRequest, model: string | undefined): ResponseFrame {
  return {
    id: itemId('resp'),
    createdAtS: Math.floor(Date.now() / 1000),
    model: model ?? request.model ?? 'switchboard',
    request,
  };
}

/** The `response` object (JSON answer, and the envelope of `response.created` / `response.completed`). */
export function responseObject(
  frame: ResponseFrame,
  status: ResponseStatus,
  output: unknown[],
  extra: { usage?: Usage; incompleteReason?: string; error?: { code: string; message: string } } = {},
) {
  const r = frame.request;
  return {
    id: frame.id,
    object: 'response',
    created_at: frame.createdAtS,
    status,
    error: extra.error ?? null,
    incomplete_details: extra.incompleteReason ? { reason: extra.incompleteReason } : null,
    instructions: r.instructions ?? null,
    max_output_tokens: r.max_output_tokens ?? null,
    model: frame.model,
    output,
    parallel_tool_calls: r.parallel_tool_calls ?? true,
    previous_response_id: null,
    store: false,
    temperature: r.temperature ?? null,
    text: { format: r.text?.format ?? { type: 'text' } },
    tool_choice: r.tool_choice ?? 'auto',
    tools: r.tools ?? [],
    top_p: r.top_p ?? null,
    truncation: 'disabled',
    usage: extra.usage ? responsesUsage(extra.usage) : null,
    user: r.user ?? null,
    metadata: r.metadata ?? {},
  };
}

/** Chat usage → the Responses API's usage fields. */
export function responsesUsage(usage: Usage) {
  const details = usage.completion_tokens_details as { reasoning_tokens?: number } | undefined;
  return {
    input_tokens: usage.prompt_tokens,
    input_tokens_details: { cached_tokens: usage.prompt_tokens_details?.cached_tokens ?? 0 },
    output_tokens: usage.completion_tokens,
    output_tokens_details: { reasoning_tokens: details?.reasoning_tokens ?? 0 },
    total_tokens: usage.total_tokens,
  };
}

/** A chat `finish_reason` → the response's status and, when incomplete, why. */
export function statusOf(finishReason: string | null | undefined): {
  status: ResponseStatus;
  incompleteReason?: string;
} {
  if (finishReason === 'length') return { status: 'incomplete', incompleteReason: 'max_output_tokens' };
  if (finishReason === 'content_filter') return { status: 'incomplete', incompleteReason: 'content_filter' };
  return { status: 'completed' };
}
