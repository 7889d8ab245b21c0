/** OpenAI's finish reasons, as the engine and its callers read them. */
export type FinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter';

const TABLE: Readonly<Record<string, FinishReason>> = {
  end_turn: 'stop',
  stop_sequence: 'stop',
  // A server tool paused a long turn; the answer so far is complete as far as OpenAI's wire can say.
  pause_turn: 'stop',
  max_tokens: 'length',
  model_context_window_exceeded: 'length',
  tool_use: 'tool_calls',
  refusal: 'content_filter',
};

/** Anthropic `stop_reason` → OpenAI `finish_reason`. Null stays null; an unknown reason reads as `stop`. */
export function mapFinishReason(stopReason: string | null | undefined): FinishReason | null {
  if (stopReason === null || stopReason === undefined) return null;
  return TABLE[stopReason] ?? 'stop';
}
