import { withAnthropicNative } from '../../../providers/anthropic/native-body.js';
import type { ChatRequestBody } from '../../../providers/types.js';
import { invalidRequest } from '../../wire/gateway-error.js';
import { ANTHROPIC_ONLY_FIELDS, type InboundMessagesRequest } from './validate-messages.js';

type Block = Record<string, unknown>;
type ChatMessage = Record<string, unknown>;

export interface EngineMessages {
  body: ChatRequestBody;
  /**
   * Fields the chat form leaves out that do not change what a correct answer is (`cache_control`,
   * `thinking`, `top_k`, …): Anthropic upstreams get them (the pass-through), others answer without
   * them and the answer says so in `x-switchboard-dropped-fields`.
   */
  dropped: string[];
}

/**
 * An inbound Anthropic Messages body → the engine's OpenAI chat form, with the caller's own body
 * carried along (`withAnthropicNative`) for Anthropic upstreams. `system` becomes a system message;
 * `tool_use` blocks become assistant `tool_calls`, `tool_result` blocks `tool` messages (ids kept);
 * images become `image_url` parts. Per field, what another vendor cannot honour is either dropped
 * and noted (the answer stays correct) or marks the request Anthropic-only (documents, server tools,
 * Anthropic-only top-level fields): other wires then skip it with that reason. Pure but for the
 * symbol on the result.
 */
export function messagesToEngine(request: InboundMessagesRequest, beta: string | undefined): EngineMessages {
  const notes = new Notes();
  const messages: ChatMessage[] = [];
  const system = systemText(request.system, notes);
  if (system !== '') messages.push({ role: 'system', content: system });
  request.messages.forEach((message, i) => {
    const at = `messages[${i}]`;
    if (message.role === 'user') messages.push(...userTurn(message.content, at, notes));
    else messages.push(assistantTurn(message.content, at, notes));
  });

  const body: ChatRequestBody = { model: request.model, messages, max_tokens: request.max_tokens };
  if (request.models) body.models = request.models;
  if (request.stream === true) {
    body.stream = true;
    body.stream_options = { include_usage: true };
  }
  if (request.temperature !== undefined) body.temperature = request.temperature;
  if (request.top_p !== undefined) body.top_p = request.top_p;
  if (request.top_k !== undefined) notes.drop('top_k');
  if (request.stop_sequences && request.stop_sequences.length > 0) body.stop = request.stop_sequences;
  if (request.metadata?.user_id) body.user = request.metadata.user_id;
  if (request.thinking?.type === 'enabled') notes.drop('thinking');
  const tools = request.tools?.map((tool, i) => toTool(tool, i, notes)).filter((t) => t !== undefined);
  if (tools && tools.length > 0) body.tools = tools;
  const choice = request.tool_choice;
  if (choice) {
    body.tool_choice = toToolChoice(choice);
    if (choice.disable_parallel_tool_use === true && tools && tools.length > 0)
      body.parallel_tool_calls = false;
  }
  for (const field of ANTHROPIC_ONLY_FIELDS) if (request[field] !== undefined) notes.only(field);

  const { models: _models, ...native } = request;
  withAnthropicNative(body, {
    body: native,
    messages,
    ...(beta ? { beta } : {}),
    ...(notes.anthropicOnly ? { anthropicOnly: notes.anthropicOnly } : {}),
  });
  return { body, dropped: [...notes.dropped].sort() };
}

/** What the translation lost, per field. */
class Notes {
  readonly dropped = new Set<string>();
  anthropicOnly: string | undefined;
  drop(field: string) {
    this.dropped.add(field);
  }
  only(field: string) {
    this.anthropicOnly ??= field;
  }
  cache(block: Block) {
    if (block.cache_control != null) this.drop('cache_control');
  }
}

function systemText(system: InboundMessagesRequest['system'], notes: Notes): string {
  if (system === undefined) return '';
  if (typeof system === 'string') return system;
  return system
    .map((b, i) => {
      notes.cache(b);
      if (b.type !== 'text' || typeof b.text !== 'string') throw badBlock(`system[${i}]`, b.type);
      return b.text;
    })
    .join('\n');
}

/** A user turn: its tool results first (as `tool` messages, answering the assistant's calls), then the rest. */
function userTurn(content: string | Block[], at: string, notes: Notes): ChatMessage[] {
  if (typeof content === 'string') return [{ role: 'user', content }];
  const out: ChatMessage[] = [];
  const parts: Block[] = [];
  content.forEach((block, j) => {
    const where = `${at}.content[${j}]`;
    notes.cache(block);
    switch (block.type) {
      case 'text':
        parts.push({ type: 'text', text: requireString(block.text, `${where}.text`) });
        return;
      case 'image':
        parts.push({ type: 'image_url', image_url: { url: imageUrl(block.source, `${where}.source`) } });
        return;
      case 'tool_result':
        if (block.is_error === true) notes.drop('tool_result.is_error');
        out.push({
          role: 'tool',
          tool_call_id: requireString(block.tool_use_id, `${where}.tool_use_id`),
          content: toolResultText(block.content, `${where}.content`, notes),
        });
        return;
      default:
        // documents, search results, …: only Anthropic reads them as the caller meant.
        notes.only(`${where} (${String(block.type)} block)`);
    }
  });
  if (parts.length > 0) out.push({ role: 'user', content: parts });
  return out;
}

function assistantTurn(content: string | Block[], at: string, notes: Notes): ChatMessage {
  if (typeof content === 'string') return { role: 'assistant', content };
  let text = '';
  const calls: unknown[] = [];
  content.forEach((block, j) => {
    const where = `${at}.content[${j}]`;
    notes.cache(block);
    switch (block.type) {
      case 'text':
        text += requireString(block.text, `${where}.text`);
        return;
      case 'tool_use':
        calls.push({
          id: requireString(block.id, `${where}.id`),
          type: 'function',
          function: {
            name: requireString(block.name, `${where}.name`),
            arguments: JSON.stringify(block.input ?? {}),
          },
        });
        return;
      case 'thinking':
      case 'redacted_thinking':
        notes.drop('thinking');
        return;
      default:
        notes.only(`${where} (${String(block.type)} block)`);
    }
  });
  return {
    role: 'assistant',
    content: text === '' && calls.length > 0 ? null : text,
    ...(calls.length > 0 ? { tool_calls: calls } : {}),
  };
}

function toolResultText(content: unknown, at: string, notes: Notes): string {
  if (content === undefined || content === null) return '';
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) throw invalidRequest(`${at}: must be a string or a list of blocks`, at);
  let text = '';
  content.forEach((raw, k) => {
    const block = raw as Block;
    notes.cache(block);
    if (block?.type === 'text') text += requireString(block.text, `${at}[${k}].text`);
    else notes.only(`${at}[${k}] (${String(block?.type)} block in a tool result)`);
  });
  return text;
}

function imageUrl(source: unknown, at: string): string {
  const s = (source ?? {}) as Block;
  if (s.type === 'base64') {
    return `data:${requireString(s.media_type, `${at}.media_type`)};base64,${requireString(s.data, `${at}.data`)}`;
  }
  if (s.type === 'url') return requireString(s.url, `${at}.url`);
  throw invalidRequest(`${at}.type: must be base64 or url`, `${at}.type`);
}

function toTool(tool: Block, i: number, notes: Notes) {
  notes.cache(tool);
  if (tool.type !== undefined && tool.type !== 'custom') {
    notes.only(`tools[${i}] (${String(tool.type)})`);
    return undefined;
  }
  const schema = tool.input_schema;
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) {
    throw invalidRequest(`tools[${i}].input_schema: Field required`, `tools[${i}].input_schema`);
  }
  return {
    type: 'function',
    function: {
      name: tool.name,
      ...(typeof tool.description === 'string' ? { description: tool.description } : {}),
      parameters: schema,
    },
  };
}

function toToolChoice(choice: NonNullable<InboundMessagesRequest['tool_choice']>): unknown {
  switch (choice.type) {
    case 'any':
      return 'required';
    case 'tool':
      return { type: 'function', function: { name: choice.name } };
    default:
      return choice.type; // auto, none
  }
}

function requireString(value: unknown, at: string): string {
  if (typeof value === 'string') return value;
  throw invalidRequest(`${at}: Field required`, at);
}

function badBlock(at: string, type: unknown) {
  return invalidRequest(`${at}.type: ${String(type)} is not a text block`, `${at}.type`);
}
