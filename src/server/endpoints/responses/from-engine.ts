import type { ChatCompletion } from '../../../providers/types.js';
import type { ResultMetadata } from '../../../routing/index.js';
import { debugView } from '../../wire/metadata-headers.js';
import { itemId, responseFrame, responseObject, statusOf } from './response-object.js';
import type { ResponsesRequest } from './validate-responses.js';

interface ChatMessage {
  content?: string | null;
  refusal?: string | null;
  tool_calls?: Array<{ id?: string; function?: { name?: string; arguments?: string } }>;
}

/**
 * A chat completion → a Responses `response` object: the text as a `message` item with one
 * `output_text` part, each tool call as a `function_call` item (its `call_id` is the tool call's id),
 * the finish reason as `status` (`length` → `incomplete`, `max_output_tokens`), usage in the
 * Responses fields. With `debug`, the attempt list rides in a `switchboard` field.
 */
export function responseFromCompletion(
  request: ResponsesRequest,
  completion: ChatCompletion,
  meta: ResultMetadata,
  debug: boolean,
) {
  const choice = completion.choices[0];
  const message = (choice?.message ?? {}) as ChatMessage;
  const output: unknown[] = [];
  const text = message.content ?? '';
  if (text !== '' || !message.tool_calls?.length) {
    output.push({
      id: itemId('msg'),
      type: 'message',
      status: 'completed',
      role: 'assistant',
      content: [outputText(text)],
    });
  }
  for (const call of message.tool_calls ?? []) {
    output.push({
      id: itemId('fc'),
      type: 'function_call',
      status: 'completed',
      call_id: call.id ?? itemId('call'),
      name: call.function?.name ?? '',
      arguments: call.function?.arguments ?? '',
    });
  }
  const { status, incompleteReason } = statusOf(choice?.finish_reason);
  const response = responseObject(responseFrame(request, completion.model), status, output, {
    ...(completion.usage ? { usage: completion.usage } : {}),
    ...(incompleteReason ? { incompleteReason } : {}),
  });
  return debug ? { ...response, switchboard: debugView(meta) } : response;
}

export function outputText(text: string) {
  return { type: 'output_text', text, annotations: [], logprobs: [] };
}
