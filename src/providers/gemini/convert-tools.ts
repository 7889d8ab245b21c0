import { convertSchema } from './convert-schema.js';
import { isRecord, Untranslatable } from './untranslatable.js';
import type { GeminiFunctionDeclaration, GeminiRequest } from './wire-types.js';

/** OpenAI `tools` → one Gemini tool holding a `functionDeclaration` per function. */
export function convertTools(tools: unknown): GeminiRequest['tools'] {
  if (tools === undefined) return undefined;
  if (!Array.isArray(tools)) throw new Untranslatable('tools: a value that is not a list');
  if (tools.length === 0) return undefined;
  const declarations = tools.map((tool, i): GeminiFunctionDeclaration => {
    const path = `tools[${i}]`;
    if (!isRecord(tool) || tool.type !== 'function' || !isRecord(tool.function)) {
      const type = isRecord(tool) ? JSON.stringify(tool.type) : 'that is not an object';
      throw new Untranslatable(`${path}: tool type ${type}`);
    }
    const fn = tool.function;
    if (typeof fn.name !== 'string') throw new Untranslatable(`${path}.function: a function without name`);
    const declaration: GeminiFunctionDeclaration = { name: fn.name };
    if (typeof fn.description === 'string') declaration.description = fn.description;
    if (fn.parameters !== undefined) {
      declaration.parametersJsonSchema = convertSchema(
        fn.parameters,
        `${path}.function.parameters`,
        fn.strict === true,
      );
    }
    return declaration;
  });
  return [{ functionDeclarations: declarations }];
}

/**
 * OpenAI `tool_choice` → `toolConfig.functionCallingConfig`: auto → AUTO, none → NONE,
 * required → ANY, a named function → ANY limited to it, `allowed_tools` in required mode → ANY limited to them.
 */
export function convertToolChoice(choice: unknown): GeminiRequest['toolConfig'] {
  if (choice === undefined) return undefined;
  if (choice === 'auto') return { functionCallingConfig: { mode: 'AUTO' } };
  if (choice === 'none') return { functionCallingConfig: { mode: 'NONE' } };
  if (choice === 'required') return { functionCallingConfig: { mode: 'ANY' } };
  if (isRecord(choice) && choice.type === 'function' && isRecord(choice.function)) {
    const name = choice.function.name;
    if (typeof name === 'string') {
      return { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: [name] } };
    }
  }
  if (isRecord(choice) && choice.type === 'allowed_tools' && isRecord(choice.allowed_tools)) {
    const { mode, tools } = choice.allowed_tools;
    const names = Array.isArray(tools)
      ? tools.map((t) => (isRecord(t) && isRecord(t.function) ? t.function.name : undefined))
      : [];
    if (mode === 'required' && names.length > 0 && names.every((n) => typeof n === 'string')) {
      return { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: names as string[] } };
    }
    throw new Untranslatable('tool_choice: allowed_tools other than mode required over named functions');
  }
  throw new Untranslatable(`tool_choice: ${JSON.stringify(choice)}`);
}
