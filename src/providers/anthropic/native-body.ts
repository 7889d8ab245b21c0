import type { ChatRequestBody } from '../types.js';
import { convertMessages } from './convert-messages.js';
import type { MessageParam, MessagesRequest, TextBlock } from './wire-types.js';

/**
 * The pass-through of an inbound Anthropic request (`POST /v1/messages`): the engine's chat form
 * cannot carry everything Anthropic's body can (`cache_control`, thinking blocks and the `thinking`
 * setting, `top_k`, documents, server tools, `anthropic-beta` features), so the endpoint puts the
 * caller's own body on the engine's request under this symbol. A symbol key is invisible to
 * `JSON.stringify` and `Object.entries`, so no other adapter can see it or send it anywhere; the
 * Anthropic adapter prefers it, and other wires skip the request when `anthropicOnly` says the chat
 * form would change its meaning.
 */
export const ANTHROPIC_NATIVE: unique symbol = Symbol.for('switchboard.anthropic-native');

export interface AnthropicNative {
  /** The caller's Messages body, validated (its `model` is the route; replaced by the upstream model). */
  body: Record<string, unknown>;
  /** The caller's `anthropic-beta` header, sent on to Anthropic upstreams. */
  beta?: string;
  /**
   * The chat messages translated from `body.messages`: while the engine's request still starts with
   * exactly these, the native body answers for them; messages the engine added (a mid-stream
   * continuation) are translated and appended.
   */
  messages: readonly unknown[];
  /** The first field only Anthropic models can honour (others skip the model, recording this reason). */
  anthropicOnly?: string;
}

/** The pass-through a request carries, if any. */
export function anthropicNative(body: ChatRequestBody): AnthropicNative | undefined {
  return (body as { [ANTHROPIC_NATIVE]?: AnthropicNative })[ANTHROPIC_NATIVE];
}

/** Puts the pass-through on an engine request (returns the same body). */
export function withAnthropicNative(body: ChatRequestBody, native: AnthropicNative): ChatRequestBody {
  Object.defineProperty(body, ANTHROPIC_NATIVE, { value: native, enumerable: true });
  return body;
}

/**
 * The body to send an Anthropic upstream for a request carrying a pass-through: the caller's body
 * with the upstream model and this call's `stream`, plus any messages the engine appended since;
 * undefined when there is no pass-through or the engine rewrote the conversation (then the chat form
 * is converted as usual).
 */
export function nativeRequest(
  body: ChatRequestBody,
  upstreamModel: string,
  stream: boolean,
): { body: MessagesRequest; prefillTrimmed: string } | undefined {
  const native = anthropicNative(body);
  if (!native) return undefined;
  const base = native.messages;
  if (body.messages.length < base.length || base.some((m, i) => body.messages[i] !== m)) return undefined;
  const out = { ...native.body, model: upstreamModel } as unknown as MessagesRequest &
    Record<string, unknown>;
  if (stream) out.stream = true;
  else delete out.stream;
  const added = body.messages.slice(base.length);
  if (added.length === 0) return { body: out, prefillTrimmed: '' };
  const extra = convertMessages(added);
  if (extra.system.length > 0) out.system = [...systemBlocks(out.system), ...extra.system];
  // The caller's turns stay as they came; only a turn the continuation merges into is rewritten.
  const messages = [...(out.messages as unknown as Array<{ role: string; content: unknown }>)];
  for (const m of extra.messages) {
    const last = messages[messages.length - 1];
    if (last?.role === m.role)
      messages[messages.length - 1] = { role: m.role, content: [...blocks(last.content), ...m.content] };
    else messages.push(m);
  }
  out.messages = messages as MessageParam[];
  return { body: out, prefillTrimmed: extra.prefillTrimmed };
}

function systemBlocks(system: unknown): TextBlock[] {
  if (system === undefined || system === null) return [];
  if (typeof system === 'string') return system === '' ? [] : [{ type: 'text', text: system }];
  return system as TextBlock[];
}

function blocks(content: unknown): unknown[] {
  if (typeof content !== 'string') return content as unknown[];
  return content === '' ? [] : [{ type: 'text', text: content }];
}

/**
 * On a completion answered for a pass-through request, Anthropic's own answer (thinking blocks and
 * their signatures included, which the chat form has no place for), so the inbound Messages
 * endpoint can give it back as it came. Non-enumerable: nothing else sees it.
 */
export const ANTHROPIC_ANSWER: unique symbol = Symbol.for('switchboard.anthropic-answer');

/** Anthropic's own answer a completion carries, if any. */
export function anthropicAnswer(completion: object): Record<string, unknown> | undefined {
  return (completion as { [ANTHROPIC_ANSWER]?: Record<string, unknown> })[ANTHROPIC_ANSWER];
}

/** Puts Anthropic's own answer on a completion (returns the same completion). */
export function withAnthropicAnswer<T extends object>(completion: T, answer: unknown): T {
  if (typeof answer === 'object' && answer !== null) {
    Object.defineProperty(completion, ANTHROPIC_ANSWER, { value: answer, enumerable: false });
  }
  return completion;
}
