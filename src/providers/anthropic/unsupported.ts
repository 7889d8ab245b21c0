import type { ChatRequestBody } from '../types.js';
import { Untranslatable } from './untranslatable.js';

/** Fields translated by `convertRequest` (or consumed by the gateway: `model`, `models`). */
const TRANSLATED = new Set([
  'model',
  'models',
  'messages',
  'stream',
  'stream_options',
  'max_tokens',
  'max_completion_tokens',
  'temperature',
  'top_p',
  'top_k',
  'stop',
  'tools',
  'tool_choice',
  'parallel_tool_calls',
  'response_format',
  'user',
  'safety_identifier',
]);

/** Fields the Messages API has no counterpart for, with the values that ask for nothing (accepted). */
const NO_OP_VALUES: Readonly<Record<string, (value: unknown) => boolean>> = {
  n: (v) => v === 1,
  logprobs: (v) => v === false,
  top_logprobs: (v) => v === 0,
  presence_penalty: (v) => v === 0,
  frequency_penalty: (v) => v === 0,
  logit_bias: (v) => typeof v === 'object' && v !== null && Object.keys(v).length === 0,
  store: (v) => v === false,
  metadata: (v) => typeof v === 'object' && v !== null && Object.keys(v).length === 0,
  modalities: (v) => Array.isArray(v) && v.length === 1 && v[0] === 'text',
};

/**
 * The first top-level field of an OpenAI chat request that the Messages API cannot honour, as an
 * `Untranslatable`; undefined when every field is translated or asks for nothing. `null` always asks
 * for nothing. A field we do not know is not passed on (Anthropic refuses unknown fields) but named.
 */
export function unsupportedField(body: ChatRequestBody): Untranslatable | undefined {
  for (const [field, value] of Object.entries(body)) {
    if (value === null || value === undefined || TRANSLATED.has(field)) continue;
    const noOp = NO_OP_VALUES[field];
    if (noOp?.(value)) continue;
    return new Untranslatable(field, value);
  }
  const temperature = body.temperature;
  if (typeof temperature === 'number' && (temperature < 0 || temperature > 1)) {
    return new Untranslatable('temperature', temperature, 'its range is 0 to 1');
  }
  return undefined;
}
