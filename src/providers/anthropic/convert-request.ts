import type { ChatRequestBody } from '../types.js';
import { convertMessages } from './convert-messages.js';
import { convertToolChoice, convertTools } from './convert-tools.js';
import { unsupportedField } from './unsupported.js';
import { Untranslatable } from './untranslatable.js';
import type { MessagesRequest } from './wire-types.js';

/** `max_tokens` when neither the request nor the model's `max_output_tokens` sets one (Anthropic requires it). */
export const DEFAULT_MAX_TOKENS = 4096;

export interface ConvertRequestInput {
  body: ChatRequestBody;
  upstreamModel: string;
  maxOutputTokens?: number;
  stream: boolean;
}

export type ConvertedRequest =
  | { ok: true; body: MessagesRequest; prefillTrimmed: string }
  | { ok: false; problem: string };

/**
 * An OpenAI chat-completions body → an Anthropic Messages body, or the first field that cannot be
 * translated (a message naming it). Pure; the input is not mutated.
 */
export function convertRequest(input: ConvertRequestInput): ConvertedRequest {
  try {
    return { ok: true, ...translate(input) };
  } catch (error) {
    if (error instanceof Untranslatable) return { ok: false, problem: error.message };
    throw error;
  }
}

function translate({ body, upstreamModel, maxOutputTokens, stream }: ConvertRequestInput) {
  const unsupported = unsupportedField(body);
  if (unsupported) throw unsupported;
  if (!Array.isArray(body.messages)) throw new Untranslatable('messages', body.messages);
  const { system, messages, prefillTrimmed } = convertMessages(body.messages);
  const out: MessagesRequest = {
    model: upstreamModel,
    max_tokens: maxTokens(body) ?? maxOutputTokens ?? DEFAULT_MAX_TOKENS,
    messages,
  };
  if (system.length > 0) out.system = system;
  if (stream) out.stream = true;
  if (typeof body.temperature === 'number') out.temperature = body.temperature;
  if (typeof body.top_p === 'number') out.top_p = body.top_p;
  if (typeof body.top_k === 'number') out.top_k = body.top_k;
  const stop = stopSequences(body.stop);
  if (stop) out.stop_sequences = stop;
  const tools = convertTools(body.tools);
  if (tools && tools.length > 0) {
    out.tools = tools;
    const choice = convertToolChoice(body.tool_choice, body.parallel_tool_calls);
    if (choice) out.tool_choice = choice;
  } else if (body.tool_choice != null && body.tool_choice !== 'none' && body.tool_choice !== 'auto') {
    throw new Untranslatable('tool_choice', body.tool_choice, 'no tools given');
  }
  const user = body.safety_identifier ?? body.user;
  if (typeof user === 'string' && user !== '') out.metadata = { user_id: user };
  const format = outputFormat(body.response_format);
  if (format) out.output_config = { format };
  return { body: out, prefillTrimmed };
}

function maxTokens(body: ChatRequestBody): number | undefined {
  const value = body.max_completion_tokens ?? body.max_tokens;
  return typeof value === 'number' ? value : undefined;
}

function stopSequences(stop: unknown): string[] | undefined {
  if (stop === undefined || stop === null) return undefined;
  if (typeof stop === 'string') return [stop];
  if (Array.isArray(stop) && stop.every((s) => typeof s === 'string'))
    return stop.length > 0 ? stop : undefined;
  throw new Untranslatable('stop', stop);
}

/** `json_schema` → `output_config.format` (structured outputs); `json_object` has no counterpart. */
function outputFormat(format: unknown): { type: 'json_schema'; schema: Record<string, unknown> } | undefined {
  if (format === undefined || format === null) return undefined;
  const f = format as { type?: unknown; json_schema?: { schema?: unknown } };
  if (f.type === 'text') return undefined;
  if (f.type === 'json_schema') {
    const schema = f.json_schema?.schema;
    if (typeof schema === 'object' && schema !== null && !Array.isArray(schema)) {
      return { type: 'json_schema', schema: schema as Record<string, unknown> };
    }
    throw new Untranslatable('response_format.json_schema.schema', schema ?? null);
  }
  throw new Untranslatable(
    'response_format',
    format,
    f.type === 'json_object' ? 'use json_schema' : undefined,
  );
}
