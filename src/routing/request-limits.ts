/**
 * Limits on the shape of a chat request, checked before any model is tried: far above what a real
 * conversation uses, low enough that no request can make the gateway's own encoder or walkers fail
 * (JSON.stringify gives up on a few thousand levels of nesting) or do unbounded work per request.
 * The byte size of a body is bounded apart, by `server.max_body_bytes` (the gateway's front door).
 */
export const REQUEST_LIMITS = {
  /** Nesting of objects and arrays, the body itself being level 1 (a chat with tools uses < 20). */
  maxDepth: 64,
  /** Entries of `messages`. */
  maxMessages: 10_000,
  /** Content parts of one message (`content: [{type: 'text', …}, {type: 'image_url', …}]`). */
  maxContentParts: 1_000,
} as const;

export interface LimitViolation {
  /** Where: `messages`, `messages[3].content`. */
  param: string;
  message: string;
}

/** The first limit the body breaks, or undefined. Pure; never recurses deeper than the depth limit. */
export function findLimitViolation(body: Record<string, unknown>): LimitViolation | undefined {
  const { maxDepth, maxMessages, maxContentParts } = REQUEST_LIMITS;
  const messages = body.messages;
  if (Array.isArray(messages)) {
    if (messages.length > maxMessages) {
      return {
        param: 'messages',
        message: `messages: ${messages.length} messages, more than the limit of ${maxMessages}`,
      };
    }
    for (let i = 0; i < messages.length; i++) {
      const content = (messages[i] as { content?: unknown } | null)?.content;
      if (Array.isArray(content) && content.length > maxContentParts) {
        const param = `messages[${i}].content`;
        return {
          param,
          message: `${param}: ${content.length} content parts, more than the limit of ${maxContentParts}`,
        };
      }
    }
  }
  const path = tooDeep(body, 1, maxDepth);
  if (path) {
    const param = formatPath(path.slice(0, 3));
    return {
      param,
      message: `${param}: the request is nested deeper than ${maxDepth} levels of objects and arrays (the limit)`,
    };
  }
  return undefined;
}

/** The path to the first container below level `maxDepth`, or undefined. A cycle is infinitely deep. */
function tooDeep(value: unknown, depth: number, maxDepth: number): Array<string | number> | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  if (depth > maxDepth) return [];
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const path = tooDeep(value[i], depth + 1, maxDepth);
      if (path) return [i, ...path];
    }
    return undefined;
  }
  for (const key of Object.keys(value)) {
    const path = tooDeep((value as Record<string, unknown>)[key], depth + 1, maxDepth);
    if (path) return [key, ...path];
  }
  return undefined;
}

function formatPath(path: ReadonlyArray<string | number>): string {
  let out = '';
  for (const part of path) out += typeof part === 'number' ? `[${part}]` : out ? `.${part}` : part;
  return out || '(body)';
}
