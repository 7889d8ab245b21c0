/** Reading what a GenerateContentRequest asks for, without trusting its shape. */

interface Part {
  text?: unknown;
  functionResponse?: unknown;
}
interface Content {
  role?: unknown;
  parts?: unknown;
}

function parts(content: unknown): Part[] {
  const list = (content as Content | null)?.parts;
  return Array.isArray(list) ? (list.filter((p) => p !== null && typeof p === 'object') as Part[]) : [];
}

/** ceil(characters of every text part, system instruction included / 4), at least 1. */
export function geminiPromptTokens(body: Record<string, unknown>): number {
  let chars = 0;
  const contents = Array.isArray(body.contents) ? body.contents : [];
  for (const content of [...contents, body.systemInstruction]) {
    for (const part of parts(content)) if (typeof part.text === 'string') chars += part.text.length;
  }
  return Math.max(1, Math.ceil(chars / 4));
}

/** The text of a trailing `model` turn (a prefill), if the conversation ends with one. */
export function trailingModelText(contents: unknown[]): string | undefined {
  const last = contents[contents.length - 1] as Content | undefined;
  if (last?.role !== 'model') return undefined;
  const list = parts(last);
  if (list.length === 0 || list.some((p) => typeof p.text !== 'string')) return undefined;
  return list.map((p) => p.text as string).join('');
}

/** Whether the request declares functions, and the conversation does not end with their results. */
export function wantsFunctionCall(body: Record<string, unknown>): boolean {
  const tools = Array.isArray(body.tools) ? body.tools : [];
  const declares = tools.some((t) => {
    const declarations = (t as { functionDeclarations?: unknown } | null)?.functionDeclarations;
    return Array.isArray(declarations) && declarations.length > 0;
  });
  if (!declares) return false;
  const contents = Array.isArray(body.contents) ? body.contents : [];
  return !parts(contents[contents.length - 1]).some((p) => p.functionResponse !== undefined);
}

/** The arguments of the simulated call: the reply when it is a JSON object, else `{ input: reply }`. */
export function callArguments(reply: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(reply);
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed))
      return parsed as Record<string, unknown>;
  } catch {
    // plain text
  }
  return { input: reply };
}
