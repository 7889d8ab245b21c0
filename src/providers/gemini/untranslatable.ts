/**
 * Thrown inside the request converters when a field of the OpenAI body has no faithful Gemini
 * translation; the message names the field. `convertRequest` turns it into a result, so it never
 * leaves this folder.
 */
export class Untranslatable extends Error {
  constructor(what: string) {
    super(`${what} is not supported by gemini models`);
    this.name = 'Untranslatable';
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
