/** Finish reasons that mean the answer was withheld or cut on policy grounds. */
const POLICY = new Set([
  'SAFETY',
  'RECITATION',
  'PROHIBITED_CONTENT',
  'BLOCKLIST',
  'SPII',
  'IMAGE_SAFETY',
  'IMAGE_PROHIBITED_CONTENT',
  'IMAGE_RECITATION',
]);

export type OpenAIFinishReason = 'stop' | 'length' | 'content_filter' | 'tool_calls';

/**
 * A Gemini `finishReason` in OpenAI's terms. Gemini says `STOP` after function calls too, so the
 * caller tells whether the candidate made any. Unknown or absent reasons (`OTHER`,
 * `MALFORMED_FUNCTION_CALL`, `FINISH_REASON_UNSPECIFIED`, …) read as `stop`: the answer ended.
 */
export function mapFinishReason(reason: string | undefined, hasToolCalls: boolean): OpenAIFinishReason {
  if (reason === 'MAX_TOKENS') return 'length';
  if (reason !== undefined && POLICY.has(reason)) return 'content_filter';
  return hasToolCalls ? 'tool_calls' : 'stop';
}

/** Whether a finish reason is a policy block (no answer is an answer on policy grounds). */
export function isPolicyFinish(reason: string | undefined): boolean {
  return reason !== undefined && POLICY.has(reason);
}
