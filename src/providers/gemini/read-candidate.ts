import { toolCallId } from './tool-call-id.js';
import type { GeminiCandidate } from './wire-types.js';

export interface OpenAIToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

export interface CandidateParts {
  /** The answer text (thought parts left out); undefined when the candidate has no text part. */
  text: string | undefined;
  toolCalls: OpenAIToolCall[];
}

/**
 * The text and function calls of one candidate (or one streamed piece of it). Function calls arrive
 * whole: each becomes one OpenAI tool call with its full arguments as JSON text. `firstCallIndex`
 * numbers calls across a stream's pieces, so their ids stay distinct.
 */
export function readCandidate(
  candidate: GeminiCandidate,
  responseId: string,
  firstCallIndex = 0,
): CandidateParts {
  let text: string | undefined;
  const toolCalls: OpenAIToolCall[] = [];
  const parts = Array.isArray(candidate.content?.parts) ? candidate.content.parts : [];
  for (const part of parts) {
    if (!part || typeof part !== 'object' || part.thought === true) continue;
    if (typeof part.text === 'string') text = (text ?? '') + part.text;
    const call = part.functionCall;
    if (call && typeof call.name === 'string') {
      toolCalls.push({
        id: toolCallId({
          geminiId: call.id,
          responseId,
          index: firstCallIndex + toolCalls.length,
          thoughtSignature: part.thoughtSignature,
        }),
        type: 'function',
        function: { name: call.name, arguments: JSON.stringify(call.args ?? {}) },
      });
    }
  }
  return { text, toolCalls };
}
