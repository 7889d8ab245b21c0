import type { ChatCompletionChunk, StreamEvent } from '../types.js';
import { UpstreamError } from '../upstream-error.js';
import { stripLeading } from './convert-response.js';
import { mapFinishReason } from './map-finish-reason.js';
import { mapUsage, mergeUsage } from './map-usage.js';
import type { SseEvent } from './parse-sse-events.js';
import type { AnthropicUsage } from './wire-types.js';

export interface StreamContext {
  createdS: number;
  upstreamModel: string;
  /** Whitespace cut from the end of a prefill: cut from the start of the answer too. */
  /** The adapter's own secrets, redacted from an in-stream error's message. */
  secrets?: readonly string[];
  prefillTrimmed?: string;
  /**
   * Pass thinking through as `delta.anthropic_thinking` (`{start, data}` at a block's start, then
   * `{thinking}` / `{signature}` pieces): only for a caller on Anthropic's own wire, whose endpoint
   * gives them back as thinking blocks. Otherwise thinking gives nothing.
   */
  keepThinking?: boolean;
}

type Data = Record<string, unknown>;

/**
 * Anthropic stream events → OpenAI `chat.completion.chunk`s, one event at a time (stateful: block
 * indexes, usage, the prefill's whitespace). `message_start` gives the role chunk; `text_delta` a
 * content chunk; a `tool_use` block opens a tool call (`id`, `name`) and its `input_json_delta`s
 * become `tool_calls[i].function.arguments` deltas; `message_delta` gives the finish chunk;
 * `message_stop` the usage chunk (`choices: []`) and the end. `ping` and thinking deltas give
 * nothing. An `error` event throws a transient `stream_broken` UpstreamError (overloaded mid-answer),
 * which the engine's stream recovery continues elsewhere.
 */
export class AnthropicStreamConverter {
  readonly #ctx: StreamContext;
  #id = '';
  #model: string;
  #usage: AnthropicUsage = {};
  /** Anthropic content-block index → OpenAI tool-call index. */
  readonly #toolIndex = new Map<number, number>();
  #pendingWhitespace: string;

  constructor(ctx: StreamContext) {
    this.#ctx = ctx;
    this.#model = ctx.upstreamModel;
    this.#pendingWhitespace = ctx.prefillTrimmed ?? '';
  }

  /** The OpenAI stream events for one Anthropic event (often none). */
  accept(sse: SseEvent): StreamEvent[] {
    let data: Data;
    try {
      const parsed: unknown = JSON.parse(sse.data);
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
      data = parsed as Data;
    } catch {
      return [{ type: 'malformed', data: sse.data.slice(0, 200) }];
    }
    switch (data.type ?? sse.event) {
      case 'message_start':
        return this.#start(data.message as Data | undefined);
      case 'content_block_start':
        return this.#blockStart(data.index, data.content_block as Data | undefined);
      case 'content_block_delta':
        return this.#blockDelta(data.index, data.delta as Data | undefined);
      case 'message_delta': {
        this.#usage = mergeUsage(this.#usage, data.usage as AnthropicUsage | undefined);
        const stopReason = (data.delta as Data | undefined)?.stop_reason as string | null | undefined;
        return [this.#chunk({}, mapFinishReason(stopReason) ?? 'stop')];
      }
      case 'message_stop':
        return [{ type: 'chunk', chunk: this.#usageChunk() }, { type: 'done' }];
      case 'error':
        throw streamError(data.error as Data | undefined, this.#ctx.secrets);
      default:
        return []; // ping, content_block_stop, and event types added later
    }
  }

  #start(message: Data | undefined): StreamEvent[] {
    if (typeof message?.id === 'string') this.#id = message.id;
    if (typeof message?.model === 'string') this.#model = message.model;
    this.#usage = mergeUsage(this.#usage, message?.usage as AnthropicUsage | undefined);
    return [this.#chunk({ role: 'assistant', content: '' }, null)];
  }

  #blockStart(index: unknown, block: Data | undefined): StreamEvent[] {
    if (block?.type === 'text' && typeof block.text === 'string' && block.text !== '')
      return this.#text(block.text);
    if ((block?.type === 'thinking' || block?.type === 'redacted_thinking') && this.#ctx.keepThinking) {
      const start = { start: block.type, ...(typeof block.data === 'string' ? { data: block.data } : {}) };
      return [this.#chunk({ anthropic_thinking: start }, null)];
    }
    if (block?.type !== 'tool_use' || typeof index !== 'number') return [];
    const toolIndex = this.#toolIndex.size;
    this.#toolIndex.set(index, toolIndex);
    this.#pendingWhitespace = '';
    const call = {
      index: toolIndex,
      id: String(block.id),
      type: 'function',
      function: { name: String(block.name), arguments: '' },
    };
    return [this.#chunk({ tool_calls: [call] }, null)];
  }

  #blockDelta(index: unknown, delta: Data | undefined): StreamEvent[] {
    if (delta?.type === 'text_delta' && typeof delta.text === 'string') return this.#text(delta.text);
    if (this.#ctx.keepThinking && (delta?.type === 'thinking_delta' || delta?.type === 'signature_delta')) {
      const piece =
        delta.type === 'thinking_delta' ? { thinking: delta.thinking } : { signature: delta.signature };
      return [this.#chunk({ anthropic_thinking: piece }, null)];
    }
    if (delta?.type !== 'input_json_delta' || typeof delta.partial_json !== 'string') return [];
    const toolIndex = typeof index === 'number' ? this.#toolIndex.get(index) : undefined;
    if (toolIndex === undefined || delta.partial_json === '') return [];
    return [
      this.#chunk({ tool_calls: [{ index: toolIndex, function: { arguments: delta.partial_json } }] }, null),
    ];
  }

  #text(raw: string): StreamEvent[] {
    let text = raw;
    if (this.#pendingWhitespace !== '') {
      text = stripLeading(raw, this.#pendingWhitespace);
      const shared = raw.length - text.length;
      // Still all whitespace the caller has: keep matching on the next delta; else matching is over.
      this.#pendingWhitespace = text === '' ? this.#pendingWhitespace.slice(shared) : '';
    }
    return text === '' ? [] : [this.#chunk({ content: text }, null)];
  }

  #chunk(
    delta: NonNullable<ChatCompletionChunk['choices'][number]['delta']>,
    finish: string | null,
  ): StreamEvent {
    return {
      type: 'chunk',
      chunk: {
        id: this.#id,
        object: 'chat.completion.chunk',
        created: this.#ctx.createdS,
        model: this.#model,
        choices: [{ index: 0, delta, finish_reason: finish }],
      },
    };
  }

  #usageChunk(): ChatCompletionChunk {
    return {
      id: this.#id,
      object: 'chat.completion.chunk',
      created: this.#ctx.createdS,
      model: this.#model,
      choices: [],
      usage: mapUsage(this.#usage),
    };
  }
}

function streamError(error: Data | undefined, secrets: readonly string[] = []): UpstreamError {
  const type = typeof error?.type === 'string' ? error.type : 'error';
  const message = typeof error?.message === 'string' ? error.message : undefined;
  return new UpstreamError({
    kind: 'transient',
    code: 'stream_broken',
    providerCode: type,
    providerMessage: message ? `${type}: ${message}` : type,
    secrets,
  });
}
