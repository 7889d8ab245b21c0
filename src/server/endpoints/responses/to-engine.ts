import type { ChatRequestBody } from '../../../providers/types.js';
import { invalidRequest } from '../../wire/gateway-error.js';
import type { ResponsesRequest } from './validate-responses.js';

type Item = Record<string, unknown>;
type ChatMessage = Record<string, unknown>;

const BUILT_IN = 'is a built-in tool that runs on OpenAI; Switchboard serves only `function` tools';

/**
 * A validated Responses body → the engine's OpenAI chat form. `instructions` becomes the first
 * system message; input items become messages (`function_call` items join the preceding assistant
 * turn as `tool_calls`, `function_call_output` items become `tool` messages); function tools,
 * `tool_choice`, `text.format` and the sampling fields map one to one. `metadata` stays with the
 * gateway (it is echoed in the answer, never sent upstream). Pure; throws a 400 naming the first
 * item or field that cannot be translated.
 */
export function responsesToEngine(request: ResponsesRequest): ChatRequestBody {
  const messages: ChatMessage[] = [];
  if (request.instructions) messages.push({ role: 'system', content: request.instructions });
  if (typeof request.input === 'string') messages.push({ role: 'user', content: request.input });
  else {
    for (const [i, item] of request.input.entries()) addItem(messages, item, `input[${i}]`);
  }
  if (messages.length === 0) throw invalidRequest('input: give at least one message', 'input');

  const body: ChatRequestBody = { messages };
  if (request.model !== undefined) body.model = request.model;
  if (request.models !== undefined) body.models = request.models;
  if (request.stream === true) {
    body.stream = true;
    body.stream_options = { include_usage: true };
  }
  if (request.max_output_tokens != null) body.max_tokens = request.max_output_tokens;
  if (request.temperature != null) body.temperature = request.temperature;
  if (request.top_p != null) body.top_p = request.top_p;
  if (request.parallel_tool_calls != null) body.parallel_tool_calls = request.parallel_tool_calls;
  const user = request.safety_identifier ?? request.user;
  if (user) body.user = user;
  const tools = request.tools?.map(toTool);
  if (tools && tools.length > 0) body.tools = tools;
  if (request.tool_choice != null) body.tool_choice = toToolChoice(request.tool_choice);
  const format = toResponseFormat(request.text?.format);
  if (format) body.response_format = format;
  return body;
}

function addItem(messages: ChatMessage[], item: Item, at: string): void {
  const type = item.type ?? (typeof item.role === 'string' ? 'message' : undefined);
  switch (type) {
    case 'message':
      messages.push(toMessage(item, at));
      return;
    case 'function_call': {
      const call = {
        id: requireString(item.call_id, `${at}.call_id`),
        type: 'function',
        function: {
          name: requireString(item.name, `${at}.name`),
          arguments: typeof item.arguments === 'string' ? item.arguments : '',
        },
      };
      const last = messages[messages.length - 1];
      if (last?.role === 'assistant' && (last.content == null || typeof last.content === 'string')) {
        last.tool_calls = [...((last.tool_calls as unknown[] | undefined) ?? []), call];
      } else messages.push({ role: 'assistant', content: null, tool_calls: [call] });
      return;
    }
    case 'function_call_output':
      messages.push({
        role: 'tool',
        tool_call_id: requireString(item.call_id, `${at}.call_id`),
        content: toolOutput(item.output, `${at}.output`),
      });
      return;
    case 'item_reference':
      throw unsupported(
        `${at}.type`,
        'item_reference needs stored responses and Switchboard is stateless; send the items themselves (the AI SDK: providerOptions.openai.store = false)',
      );
    default:
      throw unsupported(
        `${at}.type`,
        `${show(type)} items are not supported (messages, function_call and function_call_output are)`,
      );
  }
}

function toMessage(item: Item, at: string): ChatMessage {
  const role = item.role;
  if (role !== 'user' && role !== 'assistant' && role !== 'system' && role !== 'developer') {
    throw invalidRequest(`${at}.role: must be user, assistant, system or developer`, `${at}.role`);
  }
  const content = item.content;
  if (typeof content === 'string') return { role, content };
  if (!Array.isArray(content))
    throw invalidRequest(`${at}.content: must be a string or a list of parts`, `${at}.content`);
  const parts = content.map((part, j) => toPart(part as Item, `${at}.content[${j}]`));
  if (role !== 'user') {
    // Only user turns take images; the others are text, joined.
    const image = parts.findIndex((p) => p.type !== 'text');
    if (image >= 0) throw unsupported(`${at}.content[${image}]`, `images are allowed in user messages only`);
    return { role, content: parts.map((p) => p.text).join('') };
  }
  return { role, content: parts };
}

function toPart(part: Item, at: string): { type: string; text?: string; image_url?: unknown } {
  if (typeof part !== 'object' || part === null) throw invalidRequest(`${at}: must be an object`, at);
  switch (part.type) {
    case 'input_text':
    case 'output_text':
      return { type: 'text', text: requireString(part.text, `${at}.text`, true) };
    case 'refusal':
      return { type: 'text', text: requireString(part.refusal, `${at}.refusal`, true) };
    case 'input_image': {
      if (part.file_id != null)
        throw unsupported(`${at}.file_id`, 'uploaded files live on OpenAI; send `image_url`');
      const url = requireString(part.image_url, `${at}.image_url`);
      const detail = part.detail;
      return {
        type: 'image_url',
        image_url: { url, ...(typeof detail === 'string' && detail !== 'auto' ? { detail } : {}) },
      };
    }
    default:
      throw unsupported(
        `${at}.type`,
        `${show(part.type)} parts are not supported (input_text, input_image and output_text are)`,
      );
  }
}

function toolOutput(output: unknown, at: string): string {
  if (typeof output === 'string') return output;
  if (Array.isArray(output)) {
    return output
      .map((part, j) => {
        const p = part as Item;
        if (p?.type !== 'input_text' && p?.type !== 'output_text') {
          throw unsupported(`${at}[${j}].type`, 'tool outputs are text only');
        }
        return requireString(p.text, `${at}[${j}].text`, true);
      })
      .join('');
  }
  throw invalidRequest(`${at}: must be a string`, at);
}

function toTool(tool: Record<string, unknown>, i: number) {
  const at = `tools[${i}]`;
  if (tool.type !== 'function') throw unsupported(`${at}.type`, `${show(tool.type)} ${BUILT_IN}`);
  const parameters = tool.parameters ?? { type: 'object', properties: {} };
  if (typeof parameters !== 'object' || Array.isArray(parameters)) {
    throw invalidRequest(`${at}.parameters: must be a JSON schema object`, `${at}.parameters`);
  }
  return {
    type: 'function',
    function: {
      name: requireString(tool.name, `${at}.name`),
      ...(typeof tool.description === 'string' ? { description: tool.description } : {}),
      parameters,
      ...(typeof tool.strict === 'boolean' ? { strict: tool.strict } : {}),
    },
  };
}

function toToolChoice(choice: unknown): unknown {
  if (typeof choice === 'string') return choice;
  const c = choice as Item;
  if (c.type === 'function')
    return { type: 'function', function: { name: requireString(c.name, 'tool_choice.name') } };
  if (c.type === 'auto' || c.type === 'none' || c.type === 'required') return c.type;
  throw unsupported('tool_choice.type', `${show(c.type)} ${BUILT_IN}`);
}

function toResponseFormat(format: Record<string, unknown> | null | undefined): unknown {
  if (!format || format.type === 'text') return undefined;
  if (format.type === 'json_object') return { type: 'json_object' };
  const schema = format.schema;
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) {
    throw invalidRequest('text.format.schema: must be a JSON schema object', 'text.format.schema');
  }
  return {
    type: 'json_schema',
    json_schema: {
      name: typeof format.name === 'string' ? format.name : 'response',
      schema,
      ...(typeof format.description === 'string' ? { description: format.description } : {}),
      ...(typeof format.strict === 'boolean' ? { strict: format.strict } : {}),
    },
  };
}

function requireString(value: unknown, at: string, allowEmpty = false): string {
  if (typeof value === 'string' && (allowEmpty || value !== '')) return value;
  throw invalidRequest(`${at}: must be a ${allowEmpty ? '' : 'non-empty '}string`, at);
}

function unsupported(field: string, why: string) {
  return invalidRequest(`${field}: ${why}`, field, 'unsupported_field');
}

function show(value: unknown): string {
  return typeof value === 'string' ? `\`${value.slice(0, 40)}\`` : String(JSON.stringify(value) ?? value);
}
