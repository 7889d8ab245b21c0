import type { ChatCompletion } from '../types.js';
import { UpstreamError } from '../upstream-error.js';
import { blockedError } from './blocked.js';
import { mapFinishReason } from './map-finish-reason.js';
import { mapUsage } from './map-usage.js';
import { readCandidate } from './read-candidate.js';
import type { GeminiResponse } from './wire-types.js';

export interface ResponseContext {
  /** The model name asked for, used when the answer names no `modelVersion`. */
  model: string;
  /** Seconds since the epoch, for `created`. */
  createdS: number;
  /** Used as the answer's id when Gemini sent no `responseId`. */
  fallbackId: string;
}

/**
 * A Gemini `GenerateContentResponse` → an OpenAI chat completion (one choice per candidate). Throws
 * an UpstreamError: `content_policy` for a blocked prompt or answer, `transient` for a 200 with no
 * candidate at all. Pure.
 */
export function convertResponse(response: GeminiResponse, context: ResponseContext): ChatCompletion {
  const blocked = blockedError(response);
  if (blocked) throw blocked;
  const candidates = Array.isArray(response.candidates) ? response.candidates : [];
  if (candidates.length === 0) {
    throw new UpstreamError({
      kind: 'transient',
      code: 'bad_response',
      status: 200,
      providerMessage: 'no candidates',
    });
  }
  const id =
    typeof response.responseId === 'string' && response.responseId ? response.responseId : context.fallbackId;
  const completion: ChatCompletion = {
    id,
    object: 'chat.completion',
    created: context.createdS,
    model: response.modelVersion ?? context.model,
    choices: candidates.map((candidate, i) => {
      const { text, toolCalls } = readCandidate(candidate, id);
      const message: Record<string, unknown> = { role: 'assistant', content: text ?? null };
      if (toolCalls.length > 0) message.tool_calls = toolCalls;
      return {
        index: candidate.index ?? i,
        message,
        finish_reason: mapFinishReason(candidate.finishReason, toolCalls.length > 0),
      };
    }),
  };
  const usage = mapUsage(response.usageMetadata);
  if (usage) completion.usage = usage;
  return completion;
}
