import { z } from 'zod';
import { invalidRequest } from '../../wire/gateway-error.js';
import { refuseUnknownFields, zodIssueError } from '../field-path.js';

/** The Responses request as Switchboard reads it (after validation). */
export interface ResponsesRequest {
  model?: string;
  models?: string[];
  input: string | Array<Record<string, unknown>>;
  instructions?: string | null;
  tools?: Array<Record<string, unknown>> | null;
  tool_choice?: unknown;
  parallel_tool_calls?: boolean | null;
  max_output_tokens?: number | null;
  temperature?: number | null;
  top_p?: number | null;
  text?: { format?: Record<string, unknown> | null; verbosity?: unknown } | null;
  metadata?: Record<string, string> | null;
  stream?: boolean | null;
  user?: string | null;
  safety_identifier?: string | null;
  store?: boolean | null;
  include?: string[] | null;
  truncation?: 'auto' | 'disabled' | null;
  stream_options?: Record<string, unknown> | null;
  [field: string]: unknown;
}

/** Fields a stateless gateway cannot honour, and why (each a 400 naming it). */
const STATEFUL: Readonly<Record<string, string>> = {
  previous_response_id:
    'Switchboard is stateless and stores no responses; send the whole conversation in `input`',
  conversation: 'Switchboard is stateless and keeps no conversations; send the whole conversation in `input`',
  background: 'background responses need stored responses, and Switchboard is stateless',
  prompt: 'stored prompt templates are not available through Switchboard',
};

const KNOWN = new Set([
  'model',
  'models',
  'input',
  'instructions',
  'tools',
  'tool_choice',
  'parallel_tool_calls',
  'max_output_tokens',
  'temperature',
  'top_p',
  'text',
  'metadata',
  'stream',
  'stream_options',
  'user',
  'safety_identifier',
  'store',
  'include',
  'truncation',
]);

const responsesRequest = z.looseObject({
  model: z.string().min(1).optional(),
  models: z.array(z.string().min(1)).min(1).optional(),
  input: z.union([z.string(), z.array(z.looseObject({}))]),
  instructions: z.string().nullish(),
  tools: z.array(z.looseObject({ type: z.string() })).nullish(),
  tool_choice: z.union([z.enum(['auto', 'none', 'required']), z.looseObject({ type: z.string() })]).nullish(),
  parallel_tool_calls: z.boolean().nullish(),
  max_output_tokens: z.int().positive().nullish(),
  temperature: z.number().min(0).max(2).nullish(),
  top_p: z.number().min(0).max(1).nullish(),
  text: z
    .looseObject({
      format: z.looseObject({ type: z.enum(['text', 'json_schema', 'json_object']) }).nullish(),
    })
    .nullish(),
  metadata: z.record(z.string(), z.string().max(512)).nullish(),
  stream: z.boolean().nullish(),
  stream_options: z.looseObject({}).nullish(),
  user: z.string().nullish(),
  safety_identifier: z.string().nullish(),
  store: z.boolean().nullish(),
  include: z.array(z.string()).nullish(),
  truncation: z.enum(['auto', 'disabled']).nullish(),
});

/**
 * Validates a parsed `POST /v1/responses` body: types (a 400 naming the field's path), then what a
 * stateless gateway cannot do (`previous_response_id`, `store: true`, `background`, …), then any
 * field Switchboard does not translate. Never silently ignores a field.
 */
export function validateResponsesRequest(body: unknown): ResponsesRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw invalidRequest('The request body must be a JSON object with `model` and `input`.');
  }
  const record = body as Record<string, unknown>;
  refuseUnknownFields(
    record,
    new Set([...KNOWN, ...nullFields(record, STATEFUL)]),
    'Responses API',
    STATEFUL,
  );
  const result = responsesRequest.safeParse(body);
  if (!result.success) throw zodIssueError(result.error);
  const request = body as ResponsesRequest;
  if (request.store === true) {
    throw unsupported('store', 'Switchboard is stateless and stores no responses; send `store: false`');
  }
  // Encrypted reasoning is asked for by clients of reasoning models (the AI SDK, with store: false);
  // Switchboard returns no reasoning items, so there is nothing to include: it asks for nothing.
  const included = request.include?.find((i) => i !== 'reasoning.encrypted_content');
  if (included) {
    throw unsupported('include', `${included} is not available through Switchboard`);
  }
  if (request.truncation === 'auto') {
    throw unsupported('truncation', '`auto` needs server-side conversation state; use `disabled`');
  }
  if (request.text?.verbosity != null)
    throw unsupported('text.verbosity', 'it has no chat-completions counterpart');
  const streamOptions = Object.keys(request.stream_options ?? {}).filter((k) => k !== 'include_obfuscation');
  if (streamOptions[0]) throw unsupported(`stream_options.${streamOptions[0]}`, 'it is not supported');
  return request;
}

/** Stateful fields sent as `null` ask for nothing, so they pass. */
function nullFields(body: Record<string, unknown>, fields: Readonly<Record<string, string>>): string[] {
  return Object.keys(fields).filter((f) => body[f] === null);
}

function unsupported(field: string, why: string) {
  return invalidRequest(`${field}: ${why}`, field, 'unsupported_field');
}
