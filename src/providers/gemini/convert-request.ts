import type { ChatRequestBody } from '../types.js';
import { convertGenerationConfig } from './convert-generation-config.js';
import { convertMessages } from './convert-messages.js';
import { convertToolChoice, convertTools } from './convert-tools.js';
import { refusedField } from './unsupported-fields.js';
import { Untranslatable } from './untranslatable.js';
import type { GeminiRequest } from './wire-types.js';

export type ConvertedRequest = { ok: true; request: GeminiRequest } | { ok: false; message: string };

/**
 * An OpenAI chat body → a Gemini `GenerateContentRequest`, or the message naming the first field that
 * has no faithful translation (`logprobs is not supported by gemini models`). Pure; the body is not
 * touched. The model and `stream` travel in the URL, not the body.
 */
export function convertRequest(body: ChatRequestBody): ConvertedRequest {
  try {
    const refused = refusedField(body);
    if (refused) throw new Untranslatable(refused);
    if (!Array.isArray(body.messages)) throw new Untranslatable('messages: a value that is not a list');
    const { contents, systemInstruction } = convertMessages(body.messages);
    if (contents.length === 0) throw new Untranslatable('messages: a conversation with only system messages');
    const request: GeminiRequest = { contents };
    if (systemInstruction) request.systemInstruction = systemInstruction;
    const tools = convertTools(body.tools);
    if (tools) request.tools = tools;
    const toolConfig = convertToolChoice(body.tool_choice);
    if (toolConfig) request.toolConfig = toolConfig;
    const generationConfig = convertGenerationConfig(body);
    if (generationConfig) request.generationConfig = generationConfig;
    return { ok: true, request };
  } catch (error) {
    if (error instanceof Untranslatable) return { ok: false, message: error.message };
    throw error;
  }
}
