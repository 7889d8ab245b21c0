import { z } from 'zod';
import type { ChatRequestBody } from '../../providers/types.js';
import { invalidRequest } from './gateway-error.js';

const message = z.looseObject({ role: z.string().min(1) });

/**
 * The fields we check; every other field passes through untouched (tools, response_format, n, …).
 * Checks are about types, not policy: the upstream judges the rest.
 */
const chatRequest = z.looseObject({
  model: z.string().min(1).optional(),
  models: z.array(z.string().min(1)).min(1).optional(),
  messages: z.array(message).min(1),
  stream: z.boolean().nullish(),
  stream_options: z.looseObject({ include_usage: z.boolean().optional() }).nullish(),
  max_tokens: z.int().positive().nullish(),
  max_completion_tokens: z.int().positive().nullish(),
  n: z.int().positive().nullish(),
  temperature: z.number().nullish(),
  top_p: z.number().nullish(),
});

/** Validates a parsed chat-completions body; a problem becomes a 400 naming the field's path. */
export function validateChatRequest(body: unknown): ChatRequestBody {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw invalidRequest('The request body must be a JSON object with `model` and `messages`.');
  }
  const result = chatRequest.safeParse(body);
  if (result.success) return body as ChatRequestBody;
  const issue = result.error.issues[0];
  const path = issue ? formatPath(issue.path) : '';
  const problem = issue?.message ?? 'invalid value';
  throw invalidRequest(`${path ? `${path}: ` : ''}${problem}`, path || null);
}

function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path)
    out += typeof part === 'number' ? `[${part}]` : out ? `.${String(part)}` : String(part);
  return out;
}
