import { convertContent } from './convert-content.js';
import { Untranslatable } from './untranslatable.js';
import type { ContentBlockParam, MessageParam, TextBlock, ToolUseBlock } from './wire-types.js';

export interface ConvertedMessages {
  system: TextBlock[];
  messages: MessageParam[];
  /**
   * The whitespace cut from the end of a trailing assistant message (a prefill: Anthropic refuses one
   * that ends in whitespace). The caller already has it, so it is cut from the start of the answer too.
   */
  prefillTrimmed: string;
}

type Message = Record<string, unknown>;

/**
 * OpenAI messages → Anthropic's top-level `system` and alternating user/assistant turns:
 * - `system` / `developer` messages, wherever they stand, join the top-level `system`, in order;
 * - assistant `tool_calls` become `tool_use` blocks; `tool` messages become `tool_result` blocks of a
 *   user turn (ids kept), so parallel calls and their results round-trip;
 * - consecutive turns of one role are merged (Anthropic requires alternation); empty ones are left out;
 * - a trailing assistant message is a prefill: Claude continues it; its trailing whitespace is cut.
 */
export function convertMessages(input: unknown[]): ConvertedMessages {
  const system: TextBlock[] = [];
  const messages: MessageParam[] = [];
  const push = (role: MessageParam['role'], blocks: ContentBlockParam[]) => {
    if (blocks.length === 0) return;
    const last = messages[messages.length - 1];
    if (last?.role === role) last.content.push(...blocks);
    else messages.push({ role, content: blocks });
  };

  input.forEach((raw, i) => {
    const at = `messages[${i}]`;
    if (typeof raw !== 'object' || raw === null) throw new Untranslatable(at, raw);
    const message = raw as Message;
    if (typeof message.name === 'string' && message.name !== '') {
      throw new Untranslatable(`${at}.name`, message.name);
    }
    if (message.function_call != null) throw new Untranslatable(`${at}.function_call`);
    switch (message.role) {
      case 'system':
      case 'developer':
        system.push(...(convertContent(message.content, `${at}.content`, false) as TextBlock[]));
        return;
      case 'user':
        push('user', convertContent(message.content, `${at}.content`, true));
        return;
      case 'assistant':
        push('assistant', [
          ...convertContent(message.content, `${at}.content`, false),
          ...toolUses(message.tool_calls, `${at}.tool_calls`),
        ]);
        return;
      case 'tool': {
        if (typeof message.tool_call_id !== 'string' || message.tool_call_id === '') {
          throw new Untranslatable(`${at}.tool_call_id`, message.tool_call_id ?? null);
        }
        const content = convertContent(message.content, `${at}.content`, false) as TextBlock[];
        push('user', [
          {
            type: 'tool_result',
            tool_use_id: message.tool_call_id,
            ...(content.length > 0 ? { content } : {}),
          },
        ]);
        return;
      }
      default:
        throw new Untranslatable(`${at}.role`, message.role);
    }
  });
  return { system, messages, prefillTrimmed: trimPrefill(messages) };
}

function toolUses(calls: unknown, at: string): ToolUseBlock[] {
  if (calls === undefined || calls === null) return [];
  if (!Array.isArray(calls)) throw new Untranslatable(at, calls);
  return calls.map((raw, j) => {
    const call = (raw ?? {}) as {
      id?: unknown;
      type?: unknown;
      function?: { name?: unknown; arguments?: unknown };
    };
    if (call.type !== undefined && call.type !== 'function')
      throw new Untranslatable(`${at}[${j}].type`, call.type);
    const name = call.function?.name;
    if (typeof call.id !== 'string' || typeof name !== 'string') {
      throw new Untranslatable(`${at}[${j}]`, raw, 'a tool call needs an id and a function name');
    }
    return {
      type: 'tool_use',
      id: call.id,
      name,
      input: parseArguments(call.function?.arguments, `${at}[${j}]`),
    };
  });
}

/** A tool call's `arguments` string → the `input` object Anthropic wants. */
function parseArguments(args: unknown, at: string): Record<string, unknown> {
  if (args === undefined || args === null || args === '') return {};
  let parsed: unknown = args;
  if (typeof args === 'string') {
    try {
      parsed = JSON.parse(args);
    } catch {
      throw new Untranslatable(`${at}.function.arguments`, args, 'not valid JSON');
    }
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Untranslatable(`${at}.function.arguments`, args, 'must be a JSON object');
  }
  return parsed as Record<string, unknown>;
}

/** Cuts trailing whitespace off a final assistant text block (dropping what becomes empty); returns it. */
function trimPrefill(messages: MessageParam[]): string {
  const last = messages[messages.length - 1];
  if (last?.role !== 'assistant') return '';
  const block = last.content[last.content.length - 1];
  if (block?.type !== 'text') return '';
  const kept = block.text.trimEnd();
  const trimmed = block.text.slice(kept.length);
  if (kept !== '') block.text = kept;
  else {
    last.content.pop();
    if (last.content.length === 0) messages.pop();
  }
  return trimmed;
}
