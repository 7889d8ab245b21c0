import { convertContentPart } from './convert-content-part.js';
import { thoughtSignatureOf } from './tool-call-id.js';
import { isRecord, Untranslatable } from './untranslatable.js';
import type { GeminiContent, GeminiPart } from './wire-types.js';

export interface ConvertedMessages {
  contents: GeminiContent[];
  systemInstruction?: { parts: GeminiPart[] };
}

/**
 * OpenAI messages → Gemini `contents` and `systemInstruction`.
 * - `system` / `developer` messages, wherever they stand, join `systemInstruction` in order (Gemini
 *   has one system instruction, outside the turns).
 * - `assistant` becomes `model`: its text, then a `functionCall` part per tool call (the id is not
 *   sent; a thought signature carried in it goes back on its part).
 * - `tool` results become `functionResponse` parts of one `user` turn per run of tool messages (a
 *   parallel call's results travel together); Gemini matches a result by function name, found from
 *   the `tool_call_id` among the earlier assistant tool calls.
 * - A trailing assistant message stays a trailing `model` turn (a prefill).
 */
export function convertMessages(messages: unknown[]): ConvertedMessages {
  const contents: GeminiContent[] = [];
  const system: GeminiPart[] = [];
  const callNames = new Map<string, string>();
  let toolTurn: GeminiContent | undefined;

  messages.forEach((message, i) => {
    const path = `messages[${i}]`;
    if (!isRecord(message)) throw new Untranslatable(`${path}: a message that is not an object`);
    if (message.name !== undefined) throw new Untranslatable(`${path}.name`);
    const role = message.role;
    if (role !== 'tool') toolTurn = undefined;
    switch (role) {
      case 'system':
      case 'developer':
        system.push(...textParts(message.content, `${path}.content`));
        return;
      case 'user': {
        const parts =
          typeof message.content === 'string'
            ? [{ text: message.content }]
            : asList(message.content, `${path}.content`).map((p, j) =>
                convertContentPart(p, `${path}.content[${j}]`),
              );
        contents.push({ role: 'user', parts });
        return;
      }
      case 'assistant': {
        const parts = message.content == null ? [] : textParts(message.content, `${path}.content`);
        parts.push(...functionCalls(message.tool_calls, `${path}.tool_calls`, callNames));
        if (parts.length > 0) contents.push({ role: 'model', parts });
        return;
      }
      case 'tool': {
        const id = message.tool_call_id;
        const name = typeof id === 'string' ? callNames.get(id) : undefined;
        if (!name) {
          throw new Untranslatable(
            `${path}.tool_call_id: a tool result that answers no earlier assistant tool call`,
          );
        }
        const part: GeminiPart = {
          functionResponse: { name, response: toolResponse(message.content, `${path}.content`) },
        };
        if (toolTurn) toolTurn.parts.push(part);
        else {
          toolTurn = { role: 'user', parts: [part] };
          contents.push(toolTurn);
        }
        return;
      }
      default:
        throw new Untranslatable(`${path}.role: ${JSON.stringify(role)}`);
    }
  });
  return system.length > 0 ? { contents, systemInstruction: { parts: system } } : { contents };
}

function asList(value: unknown, path: string): unknown[] {
  if (!Array.isArray(value)) throw new Untranslatable(`${path}: content that is neither a string nor a list`);
  return value;
}

/** Text-only content (system, assistant, tool): a string or a list of text parts. */
function textParts(content: unknown, path: string): GeminiPart[] {
  if (typeof content === 'string') return content === '' ? [] : [{ text: content }];
  return asList(content, path).map((part, j) => {
    if (!isRecord(part) || part.type !== 'text' || typeof part.text !== 'string') {
      const type = isRecord(part) ? JSON.stringify(part.type) : 'that is not an object';
      throw new Untranslatable(`${path}[${j}]: content part type ${type} here`);
    }
    return { text: part.text };
  });
}

function functionCalls(calls: unknown, path: string, callNames: Map<string, string>): GeminiPart[] {
  if (calls === undefined || calls === null) return [];
  return asList(calls, path).map((call, j) => {
    const at = `${path}[${j}]`;
    const fn = isRecord(call) && isRecord(call.function) ? call.function : undefined;
    if (!isRecord(call) || call.type !== 'function' || !fn || typeof fn.name !== 'string') {
      throw new Untranslatable(`${at}: a tool call that is not a named function call`);
    }
    const args = parseArguments(fn.arguments, `${at}.function.arguments`);
    if (typeof call.id === 'string') callNames.set(call.id, fn.name);
    const part: GeminiPart = { functionCall: { name: fn.name, args } };
    const signature = thoughtSignatureOf(call.id);
    if (signature) part.thoughtSignature = signature;
    return part;
  });
}

function parseArguments(text: unknown, path: string): Record<string, unknown> {
  if (text === undefined || text === '') return {};
  let parsed: unknown;
  try {
    parsed = typeof text === 'string' ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  if (!isRecord(parsed)) throw new Untranslatable(`${path}: arguments that are not a JSON object`);
  return parsed;
}

/** Gemini wants an object: a JSON object result is sent as it is, anything else as `{ result }`. */
function toolResponse(content: unknown, path: string): Record<string, unknown> {
  const text =
    typeof content === 'string'
      ? content
      : textParts(content, path)
          .map((p) => p.text)
          .join('');
  try {
    const parsed: unknown = JSON.parse(text);
    if (isRecord(parsed)) return parsed;
  } catch {
    // plain text
  }
  return { result: text };
}
