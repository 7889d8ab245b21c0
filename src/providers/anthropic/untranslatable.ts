/** A field of an OpenAI request that the Messages API cannot honour; `message` names it. */
export class Untranslatable extends Error {
  constructor(field: string, value?: unknown, why?: string) {
    const shown = value === undefined ? '' : `: ${show(value)}`;
    super(`${field}${shown} is not supported by anthropic models${why ? ` (${why})` : ''}`);
    this.name = 'Untranslatable';
  }
}

function show(value: unknown): string {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}
