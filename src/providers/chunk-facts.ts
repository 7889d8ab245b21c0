import type { ChatCompletionChunk, ChunkFacts } from './types.js';

export type { ChunkFacts };

/** The facts of a chunk object. */
export function factsOf(chunk: ChatCompletionChunk): ChunkFacts {
  const delta = chunk.choices[0]?.delta;
  return {
    text: typeof delta?.content === 'string' ? delta.content : '',
    hasContent: hasContent(chunk),
    finished: chunk.choices.some((c) => c.finish_reason !== undefined && c.finish_reason !== null),
    noChoices: chunk.choices.length === 0,
    toolCalls: Array.isArray(delta?.tool_calls) && delta.tool_calls.length > 0,
    usage: chunk.usage ?? undefined,
  };
}

/** Any delta field other than `role` with a value: text, tool calls, refusals, reasoning. */
export function hasContent(chunk: ChatCompletionChunk): boolean {
  for (const choice of chunk.choices) {
    const delta = choice.delta;
    if (!delta) continue;
    for (const key in delta) {
      if (key === 'role') continue;
      const value = delta[key];
      if (
        typeof value === 'string' ? value.length > 0 : Array.isArray(value) ? value.length > 0 : value != null
      ) {
        return true;
      }
    }
  }
  return false;
}

// The shape of nearly every chunk of an OpenAI-style stream: one choice whose delta is text, no
// finish, no usage, every other top-level field a plain scalar. Anything else (a finish, usage, tool
// calls, an error, other key orders, escapes in the scalars) is left to JSON.parse.
const SCALAR = String.raw`(?:"[^"\\\x00-\x1f]*"|-?\d+|null|true|false)`;
const KEY = String.raw`"(?!error"|choices"|usage")[a-z_]+"`;
const STRING_BODY = String.raw`(?:[^"\\\x00-\x1f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*`;
const TEXT_CHUNK = new RegExp(
  String.raw`^\{(?:${KEY}:${SCALAR},)*"choices":\[\{"index":0,"delta":\{(?:"role":"assistant",)?"content":"${STRING_BODY}"\}(?:,"logprobs":null)?,"finish_reason":null\}\](?:,"usage":null)?(?:,${KEY}:${SCALAR})*\}$`,
);
const DELTA = '"delta":{';
const ROLE = '"role":"assistant",';
const CONTENT = '"content":"';

/**
 * The text of a plain text chunk read straight from its JSON text, or undefined when the text is not
 * of that one common shape (then parse it). Exact: what it answers is what parsing would give. The
 * pattern is only tested (no match array is built); the text is then found by position, which the
 * shape makes certain: no top-level value before `choices` can hold a quote or a brace, so the first
 * `"delta":{` is the choice's.
 */
export function scanText(json: string): string | undefined {
  if (!TEXT_CHUNK.test(json)) return undefined;
  const delta = json.indexOf(DELTA) + DELTA.length;
  const start = (json.startsWith(ROLE, delta) ? delta + ROLE.length : delta) + CONTENT.length;
  let end = start;
  let escaped = false;
  for (let c = json.charCodeAt(end); c !== QUOTE; c = json.charCodeAt(end)) {
    if (c === BACKSLASH) {
      escaped = true;
      end += 2;
    } else end++;
  }
  return escaped ? (JSON.parse(json.slice(start - 1, end + 1)) as string) : json.slice(start, end);
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** `scanText` as the facts of the chunk: what parsing it and `factsOf` would give. */
export function scanTextChunk(json: string): ChunkFacts | undefined {
  const text = scanText(json);
  if (text === undefined) return undefined;
  return {
    text,
    hasContent: text.length > 0,
    finished: false,
    noChoices: false,
    toolCalls: false,
    usage: undefined,
  };
}
