/**
 * The JSON text an upstream answer was parsed from, kept beside the parsed object while nothing has
 * changed it, so the chat-completions endpoint sends the upstream's own text instead of serialising
 * the object again. A non-enumerable symbol property: a copy (`{ ...completion }`) does not carry it
 * and JSON.stringify never shows it. Only an adapter that parsed `text` into `value` unchanged may
 * call `keepRawJson`; nothing in the gateway changes a completion in place after that.
 */
const RAW_JSON = Symbol('switchboard.rawJson');

export function keepRawJson<T extends object>(value: T, text: string): T {
  Object.defineProperty(value, RAW_JSON, { value: text });
  return value;
}

export function rawJsonOf(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  return (value as { [RAW_JSON]?: string })[RAW_JSON];
}
