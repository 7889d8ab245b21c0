import { z } from 'zod';
import { invalidRequest } from '../../wire/gateway-error.js';
import { refuseUnknownFields, zodIssueError } from '../field-path.js';

/** A Messages request as Switchboard reads it (after validation); blocks are checked when translated. */
export interface InboundMessagesRequest {
  model: string;
  models?: string[];
  max_tokens: number;
  messages: Array<{ role: 'user' | 'assistant'; content: string | Array<Record<string, unknown>> }>;
  system?: string | Array<Record<string, unknown>>;
  stream?: boolean;
  temperature?: number;
  top_p?: number;
  top_k?: number;
  stop_sequences?: string[];
  tools?: Array<Record<string, unknown>>;
  tool_choice?: { type: string; name?: string; disable_parallel_tool_use?: boolean };
  metadata?: { user_id?: string | null };
  thinking?: Record<string, unknown>;
  [field: string]: unknown;
}

/** Fields translated for every model. */
const TRANSLATED = [
  'model',
  'models',
  'max_tokens',
  'messages',
  'system',
  'stream',
  'temperature',
  'top_p',
  'top_k',
  'stop_sequences',
  'tools',
  'tool_choice',
  'metadata',
  'thinking',
];

/** Fields only Anthropic models can honour: sent to them as they came; other models are skipped. */
export const ANTHROPIC_ONLY_FIELDS = [
  'service_tier',
  'container',
  'mcp_servers',
  'context_management',
  'output_config',
];

const block = z.looseObject({ type: z.string().min(1) });

const messagesRequest = z.looseObject({
  model: z.string().min(1),
  models: z.array(z.string().min(1)).min(1).optional(),
  max_tokens: z.int().positive(),
  messages: z
    .array(
      z.looseObject({ role: z.enum(['user', 'assistant']), content: z.union([z.string(), z.array(block)]) }),
    )
    .min(1),
  system: z.union([z.string(), z.array(block)]).optional(),
  stream: z.boolean().optional(),
  temperature: z.number().min(0).max(1).optional(),
  top_p: z.number().min(0).max(1).optional(),
  top_k: z.int().nonnegative().optional(),
  stop_sequences: z.array(z.string()).optional(),
  tools: z.array(z.looseObject({ name: z.string().min(1) })).optional(),
  tool_choice: z
    .looseObject({
      type: z.enum(['auto', 'any', 'tool', 'none']),
      name: z.string().min(1).optional(),
      disable_parallel_tool_use: z.boolean().optional(),
    })
    .optional(),
  metadata: z.looseObject({ user_id: z.string().nullish() }).optional(),
  thinking: z.looseObject({ type: z.enum(['enabled', 'disabled']) }).optional(),
});

/**
 * Validates a parsed `POST /v1/messages` body as Anthropic does: required `model`, `max_tokens`,
 * `messages`; types (a 400 naming the field's path); any top-level field Switchboard does not know.
 */
export function validateMessagesRequest(body: unknown): InboundMessagesRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw invalidRequest('The request body must be a JSON object with `model`, `max_tokens` and `messages`.');
  }
  refuseUnknownFields(
    body as Record<string, unknown>,
    new Set([...TRANSLATED, ...ANTHROPIC_ONLY_FIELDS]),
    'Messages API',
  );
  const result = messagesRequest.safeParse(body);
  if (!result.success) throw zodIssueError(result.error);
  const request = body as InboundMessagesRequest;
  if (request.tool_choice?.type === 'tool' && !request.tool_choice.name) {
    throw invalidRequest('tool_choice.name: Field required', 'tool_choice.name');
  }
  return request;
}
