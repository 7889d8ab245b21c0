import type { ChatRequestBody } from '../types.js';
import { convertSchema } from './convert-schema.js';
import { isRecord, Untranslatable } from './untranslatable.js';
import type { GeminiGenerationConfig } from './wire-types.js';

/** Numeric fields that map one to one. */
const NUMBERS: ReadonlyArray<[string, keyof GeminiGenerationConfig]> = [
  ['temperature', 'temperature'],
  ['top_p', 'topP'],
  ['seed', 'seed'],
  ['presence_penalty', 'presencePenalty'],
  ['frequency_penalty', 'frequencyPenalty'],
];

/** The sampling and output fields of an OpenAI body → `generationConfig` (undefined when none is set). */
export function convertGenerationConfig(body: ChatRequestBody): GeminiGenerationConfig | undefined {
  const config: GeminiGenerationConfig = {};
  const maxTokens = body.max_completion_tokens ?? body.max_tokens;
  if (maxTokens !== undefined && maxTokens !== null) config.maxOutputTokens = number(maxTokens, 'max_tokens');
  for (const [from, to] of NUMBERS) {
    const value = body[from];
    if (value !== undefined && value !== null) (config as Record<string, number>)[to] = number(value, from);
  }
  if (body.stop !== undefined && body.stop !== null) config.stopSequences = stopSequences(body.stop);
  if (body.n !== undefined && body.n !== null && body.n !== 1) config.candidateCount = number(body.n, 'n');
  Object.assign(config, responseFormat(body.response_format));
  return Object.keys(config).length > 0 ? config : undefined;
}

function number(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value))
    throw new Untranslatable(`${field}: a value that is not a number`);
  return value;
}

function stopSequences(stop: unknown): string[] {
  const list = typeof stop === 'string' ? [stop] : stop;
  if (!Array.isArray(list) || !list.every((s) => typeof s === 'string')) {
    throw new Untranslatable('stop: a value that is neither a string nor a list of strings');
  }
  return list;
}

/** `json_object` → JSON output; `json_schema` → JSON output held to the schema (`responseJsonSchema`). */
function responseFormat(format: unknown): GeminiGenerationConfig {
  if (format === undefined || format === null) return {};
  if (!isRecord(format)) throw new Untranslatable('response_format: a value that is not an object');
  switch (format.type) {
    case 'text':
      return {};
    case 'json_object':
      return { responseMimeType: 'application/json' };
    case 'json_schema': {
      const spec = isRecord(format.json_schema) ? format.json_schema : undefined;
      if (!spec || spec.schema === undefined) {
        throw new Untranslatable('response_format.json_schema: a json_schema without schema');
      }
      return {
        responseMimeType: 'application/json',
        responseJsonSchema: convertSchema(
          spec.schema,
          'response_format.json_schema.schema',
          spec.strict === true,
        ),
      };
    }
    default:
      throw new Untranslatable(`response_format.type: ${JSON.stringify(format.type)}`);
  }
}
