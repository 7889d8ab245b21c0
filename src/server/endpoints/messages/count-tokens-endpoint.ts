import type { Endpoint } from '../types.js';
import { toAnthropicError } from './to-anthropic-error.js';
import { validateMessagesRequest } from './validate-messages.js';

/** Characters per token of the estimate: a rough mean for English text and JSON. */
const CHARS_PER_TOKEN = 4;

/**
 * `POST /v1/messages/count_tokens`: an estimate, said so in the answer. Switchboard routes a request
 * to models of several vendors, each with its own tokenizer, so there is no one true count; the
 * estimate is the text of the system prompt, messages and tools over four characters a token,
 * answered without any upstream call (`switchboard.estimate: true`).
 */
export function countTokensEndpoint(maxBodyBytes: number): Endpoint {
  return {
    method: 'POST',
    path: '/v1/messages/count_tokens',
    listed: true,
    apiKeyHeader: 'x-api-key',
    toError: toAnthropicError,
    async handle(request) {
      const parsed = await request.json(maxBodyBytes);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
        validateMessagesRequest(parsed);
      // count_tokens takes no max_tokens: validated as a message request with one.
      const valid = validateMessagesRequest({ max_tokens: 1, ...(parsed as object) });
      const chars = JSON.stringify([valid.system ?? '', valid.messages, valid.tools ?? []]).length;
      return {
        kind: 'json',
        status: 200,
        body: {
          input_tokens: Math.ceil(chars / CHARS_PER_TOKEN),
          switchboard: { estimate: true, method: `characters / ${CHARS_PER_TOKEN}` },
        },
      };
    },
  };
}
