import type { ChatRequestBody } from '../types.js';
import { isRecord } from './untranslatable.js';

/**
 * Every top-level field the adapter translates (or, for `user`, knowingly does not send: Gemini has no
 * end-user id, and it changes no answer). Anything else is refused by name, so a field is never
 * silently dropped.
 */
const TRANSLATED = new Set([
  'model',
  'messages',
  'stream',
  'stream_options',
  'user',
  'max_tokens',
  'max_completion_tokens',
  'temperature',
  'top_p',
  'seed',
  'presence_penalty',
  'frequency_penalty',
  'stop',
  'n',
  'response_format',
  'tools',
  'tool_choice',
  'parallel_tool_calls',
]);

/**
 * The field of the body that Gemini cannot honour at all (before any conversion), e.g. `logprobs`,
 * `logit_bias`, `reasoning_effort`, `parallel_tool_calls: false` or an unknown field; undefined when
 * every top-level field is one the adapter translates.
 */
export function refusedField(body: ChatRequestBody): string | undefined {
  for (const [field, value] of Object.entries(body)) {
    if (value === undefined) continue;
    if (!TRANSLATED.has(field)) {
      // `false` / `null` for an opt-in feature asks for nothing: logprobs: false is what Gemini does.
      if (value === false || value === null) continue;
      return field;
    }
  }
  if (body.parallel_tool_calls === false) return 'parallel_tool_calls: false';
  const options = body.stream_options;
  if (isRecord(options)) {
    const extra = Object.keys(options).find((k) => k !== 'include_usage');
    if (extra) return `stream_options.${extra}`;
  }
  return undefined;
}
