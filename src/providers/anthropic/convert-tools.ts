import { Untranslatable } from './untranslatable.js';
import type { ToolChoice, ToolParam } from './wire-types.js';

const EMPTY_SCHEMA = { type: 'object', properties: {} };

/** OpenAI `tools` (functions only) → Anthropic tools: `parameters` becomes `input_schema`. */
export function convertTools(tools: unknown): ToolParam[] | undefined {
  if (tools === undefined || tools === null) return undefined;
  if (!Array.isArray(tools)) throw new Untranslatable('tools', tools);
  return tools.map((raw, i) => {
    const tool = (raw ?? {}) as { type?: unknown; function?: Record<string, unknown> };
    if (tool.type !== 'function') throw new Untranslatable(`tools[${i}].type`, tool.type ?? null);
    const fn = tool.function ?? {};
    if (typeof fn.name !== 'string' || fn.name === '') {
      throw new Untranslatable(`tools[${i}].function.name`, fn.name ?? null);
    }
    const schema = fn.parameters ?? EMPTY_SCHEMA;
    if (typeof schema !== 'object' || Array.isArray(schema)) {
      throw new Untranslatable(`tools[${i}].function.parameters`, schema);
    }
    return {
      name: fn.name,
      ...(typeof fn.description === 'string' ? { description: fn.description } : {}),
      input_schema: schema as Record<string, unknown>,
      ...(typeof fn.strict === 'boolean' ? { strict: fn.strict } : {}),
    };
  });
}

/**
 * OpenAI `tool_choice` (+ `parallel_tool_calls: false`) → Anthropic `tool_choice`:
 * auto → auto, none → none, required → any, a named function → tool; `parallel_tool_calls: false`
 * sets `disable_parallel_tool_use` (on `auto` when no choice was given).
 */
export function convertToolChoice(choice: unknown, parallelToolCalls: unknown): ToolChoice | undefined {
  const serial = parallelToolCalls === false ? { disable_parallel_tool_use: true } : {};
  if (choice === undefined || choice === null) {
    return parallelToolCalls === false ? { type: 'auto', ...serial } : undefined;
  }
  if (choice === 'auto') return { type: 'auto', ...serial };
  if (choice === 'required') return { type: 'any', ...serial };
  if (choice === 'none') return { type: 'none' };
  const named = choice as { type?: unknown; function?: { name?: unknown } };
  if (typeof choice === 'object' && named.type === 'function' && typeof named.function?.name === 'string') {
    return { type: 'tool', name: named.function.name, ...serial };
  }
  throw new Untranslatable('tool_choice', choice);
}
