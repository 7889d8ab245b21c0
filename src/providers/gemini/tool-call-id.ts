/**
 * OpenAI tool calls carry ids; Gemini's function calls usually do not (older API versions never),
 * and thinking models attach an opaque `thoughtSignature` that must come back with the call. Both
 * travel in the OpenAI id: `<id>` or `<id>__thought__<signature>`. Clients echo ids verbatim, so a
 * conversation that goes through Gemini again hands the signature back.
 */
const SIGNATURE_MARK = '__thought__';

/**
 * The OpenAI id of the `index`-th function call of an answer: Gemini's own id when it sent one,
 * else one derived from the answer's `responseId` (the same answer always gives the same ids).
 */
export function toolCallId(options: {
  geminiId?: string | undefined;
  responseId: string;
  index: number;
  thoughtSignature?: string | undefined;
}): string {
  const base = options.geminiId || `call_${options.responseId}_${options.index}`;
  return options.thoughtSignature ? `${base}${SIGNATURE_MARK}${options.thoughtSignature}` : base;
}

/** The thought signature carried in an id, if any. */
export function thoughtSignatureOf(id: unknown): string | undefined {
  if (typeof id !== 'string') return undefined;
  const at = id.indexOf(SIGNATURE_MARK);
  return at === -1 ? undefined : id.slice(at + SIGNATURE_MARK.length) || undefined;
}
