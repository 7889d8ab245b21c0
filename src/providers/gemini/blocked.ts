import { UpstreamError } from '../upstream-error.js';
import { isPolicyFinish } from './map-finish-reason.js';
import type { GeminiResponse } from './wire-types.js';

/**
 * A 200 that is a refusal: the prompt was blocked (`promptFeedback.blockReason`), or every candidate
 * finished on a policy reason (SAFETY, RECITATION, …) without any content. Such an answer is a
 * `content_policy` failure; a candidate cut on policy after some content is an answer with
 * `finish_reason: content_filter` instead. No status is set: the HTTP 200 is no status to pass on,
 * so the caller gets the engine's default for a refusal (400).
 */
export function blockedError(response: GeminiResponse): UpstreamError | undefined {
  const blockReason = response.promptFeedback?.blockReason;
  if (typeof blockReason === 'string' && blockReason !== '' && blockReason !== 'BLOCK_REASON_UNSPECIFIED') {
    return new UpstreamError({
      kind: 'content_policy',
      code: 'prompt_blocked',
      providerCode: blockReason,
      providerMessage: response.promptFeedback?.blockReasonMessage ?? `prompt blocked: ${blockReason}`,
    });
  }
  const candidates = response.candidates ?? [];
  if (candidates.length === 0) return undefined;
  const empty = candidates.every(
    (c) => isPolicyFinish(c.finishReason) && !(Array.isArray(c.content?.parts) && c.content.parts.length > 0),
  );
  if (!empty) return undefined;
  const reason = candidates[0]?.finishReason;
  return new UpstreamError({
    kind: 'content_policy',
    code: 'response_blocked',
    providerCode: reason,
    providerMessage: candidates[0]?.finishMessage ?? `response blocked: ${reason}`,
  });
}
