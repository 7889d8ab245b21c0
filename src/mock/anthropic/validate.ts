/** What the simulated Messages API checks in a request, as the real one does: a 400 naming the problem. */

const TOP_LEVEL = new Set([
  'model',
  'max_tokens',
  'messages',
  'system',
  'stream',
  'temperature',
  'top_p',
  'top_k',
  'stop_sequences',
  'tools',
  'tool_choice',
  'metadata',
  'output_config',
  'thinking',
  'service_tier',
]);

type Block = Record<string, unknown>;

export interface MessagesBody {
  model: string;
  max_tokens: number;
  messages: Array<{ role: 'user' | 'assistant'; content: string | Block[] }>;
  system?: string | Block[];
  stream?: boolean;
  tools?: Array<{ name: string }>;
}

/** The problem with a Messages request (the real API's wording where it is known), or undefined. */
export function validateMessages(body: Record<string, unknown>, acceptsPrefill: boolean): string | undefined {
  for (const field of Object.keys(body)) {
    if (!TOP_LEVEL.has(field)) return `${field}: Extra inputs are not permitted`;
  }
  if (typeof body.model !== 'string' || body.model === '') return 'model: Field required';
  if (!Number.isInteger(body.max_tokens) || (body.max_tokens as number) < 1)
    return 'max_tokens: Field required';
  if (!Array.isArray(body.messages) || body.messages.length === 0) return 'messages: Field required';
  const messages = body.messages as Array<{ role?: unknown; content?: unknown }>;
  for (const [i, message] of messages.entries()) {
    if (message.role !== 'user' && message.role !== 'assistant') {
      return `messages.${i}.role: Input should be 'user' or 'assistant'`;
    }
    const last = i === messages.length - 1;
    const problem = checkContent(
      message.content,
      `messages.${i}.content`,
      last && message.role === 'assistant',
    );
    if (problem) return problem;
    if (message.role === 'user' && Array.isArray(message.content)) {
      const previous = messages[i - 1];
      const ids = new Set(
        Array.isArray(previous?.content)
          ? (previous.content as Block[]).filter((b) => b.type === 'tool_use').map((b) => b.id)
          : [],
      );
      for (const block of message.content as Block[]) {
        if (block.type === 'tool_result' && !ids.has(block.tool_use_id)) {
          return `messages.${i}.content: unexpected \`tool_use_id\` found in \`tool_result\` blocks: ${String(block.tool_use_id)}. Each \`tool_result\` block must have a corresponding \`tool_use\` block in the previous message.`;
        }
      }
    }
  }
  const final = messages[messages.length - 1];
  if (final?.role === 'assistant') {
    if (!acceptsPrefill) return 'messages: the final message must be a user message';
    const text = textOf(final.content);
    if (text !== text.trimEnd())
      return 'messages: final assistant content cannot end with trailing whitespace';
  }
  return undefined;
}

function checkContent(content: unknown, at: string, finalAssistant: boolean): string | undefined {
  if (typeof content === 'string') {
    return content === '' && !finalAssistant ? `${at}: messages must have non-empty content` : undefined;
  }
  if (!Array.isArray(content)) return `${at}: Input should be a valid list`;
  if (content.length === 0 && !finalAssistant) return `${at}: messages must have non-empty content`;
  for (const [j, block] of (content as Block[]).entries()) {
    if (block.type === 'text' && (typeof block.text !== 'string' || block.text === '')) {
      return `${at}.${j}.text: text content blocks must be non-empty`;
    }
    if (!['text', 'image', 'tool_use', 'tool_result', 'document', 'thinking'].includes(String(block.type))) {
      return `${at}.${j}.type: Input tag '${String(block.type)}' found using 'type' does not match any of the expected tags`;
    }
  }
  return undefined;
}

/** The text of a message's content: the string, or its text blocks joined. */
export function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return (content as Block[])
    .filter((b) => b.type === 'text' && typeof b.text === 'string')
    .map((b) => b.text as string)
    .join('');
}
