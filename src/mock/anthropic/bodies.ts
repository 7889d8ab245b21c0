/** Anthropic-shaped success bodies and stream events of the simulated Messages API. */

export interface MessageUsage {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
}

export type AnswerBlock =
  | { type: 'text'; text: string }
  | { type: 'tool_use'; id: string; name: string; input: Record<string, unknown> };

export interface MessageMeta {
  id: string;
  model: string;
}

export function messageBody(
  meta: MessageMeta,
  content: AnswerBlock[],
  stopReason: string,
  usage: MessageUsage,
) {
  return {
    id: meta.id,
    type: 'message' as const,
    role: 'assistant' as const,
    model: meta.model,
    content,
    stop_reason: stopReason,
    stop_sequence: null,
    usage,
  };
}

/** One SSE frame as Anthropic sends it: the event name, and the same name as the data's `type`. */
export function eventFrame(data: { type: string; [field: string]: unknown }): string {
  return `event: ${data.type}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** ceil(characters of every `text` in the prompt / 4), at least 1: the simulator's token count. */
export function promptTokens(body: { system?: unknown; messages?: unknown }): number {
  let chars = 0;
  const visit = (value: unknown): void => {
    if (typeof value === 'string') chars += value.length;
    else if (Array.isArray(value)) value.forEach(visit);
    else if (value !== null && typeof value === 'object') {
      const v = value as { text?: unknown; content?: unknown };
      visit(v.text);
      visit(v.content);
    }
  };
  visit(body.system);
  visit(body.messages);
  return Math.max(1, Math.ceil(chars / 4));
}
