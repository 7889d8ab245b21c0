import type { ChatCompletionChunk, Usage } from '../../../providers/types.js';
import type { StreamResult } from '../../../routing/index.js';
import { debugView } from '../../wire/metadata-headers.js';
import { anthropicUsage, messageId, stopReasonOf } from './from-engine.js';
import { anthropicErrorFrame } from './to-anthropic-error.js';

type BlockKind = 'text' | 'tool' | 'thinking';

/** What the Anthropic adapter passes through of Claude's thinking (see `StreamContext.keepThinking`). */
interface ThinkingDelta {
  start?: 'thinking' | 'redacted_thinking';
  data?: string;
  thinking?: string;
  signature?: string;
}

type ToolCallDelta = { index?: number; id?: string; function?: { name?: string; arguments?: string } };

/**
 * The engine's chat chunk stream → Anthropic's event stream: `message_start`, `ping`, then per block
 * `content_block_start` / `content_block_delta` (`text_delta`, `input_json_delta`) /
 * `content_block_stop`, then `message_delta` (stop reason, usage) and `message_stop`. Usage comes at
 * the end of an OpenAI stream, so `message_start` reports zero tokens and `message_delta` the
 * totals (input tokens included, which the SDK takes). A stream that breaks ends with an `error`
 * event and no `message_stop`, so no client mistakes a truncated answer for a complete one.
 */
export async function* messagesFrames(result: StreamResult, debug: boolean): AsyncGenerator<string> {
  const writer = new MessagesStreamWriter();
  let finish: string | null | undefined;
  let usage: Usage | undefined;
  try {
    for await (const chunk of result) {
      yield* writer.start(chunk);
      if (chunk.usage) usage = chunk.usage;
      const choice = chunk.choices[0];
      if (!choice) continue;
      if (choice.finish_reason) finish = choice.finish_reason;
      yield* writer.delta(choice.delta);
    }
  } catch (error) {
    yield anthropicErrorFrame(error);
    return;
  }
  yield* writer.start(undefined);
  yield* writer.finish(finish, usage, debug ? debugView(result.metadata) : undefined);
}

class MessagesStreamWriter {
  #started = false;
  /** The open block: its index, and for a tool call its chat index. */
  #open: { index: number; kind: BlockKind } | undefined;
  #blocks = 0;
  /** Chat tool-call index → Anthropic block index. */
  readonly #toolBlocks = new Map<number, number>();

  *start(chunk: ChatCompletionChunk | undefined): Generator<string> {
    if (this.#started) return;
    this.#started = true;
    const message = {
      id: messageId(chunk?.id),
      type: 'message',
      role: 'assistant',
      model: chunk?.model ?? '',
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: anthropicUsage(undefined),
    };
    yield event('message_start', { message });
    yield event('ping', {});
  }

  *delta(delta: ChatCompletionChunk['choices'][number]['delta']): Generator<string> {
    if (!delta) return;
    const thinking = delta.anthropic_thinking as ThinkingDelta | undefined;
    if (thinking) yield* this.#thinking(thinking);
    if (typeof delta.content === 'string' && delta.content !== '') {
      if (this.#open?.kind !== 'text') yield* this.#openBlock('text', { type: 'text', text: '' });
      yield event('content_block_delta', {
        index: this.#open?.index,
        delta: { type: 'text_delta', text: delta.content },
      });
    }
    for (const raw of (delta.tool_calls ?? []) as ToolCallDelta[]) {
      const toolIndex = raw.index ?? 0;
      let index = this.#toolBlocks.get(toolIndex);
      if (index === undefined) {
        yield* this.#openBlock('tool', {
          type: 'tool_use',
          id: raw.id ?? `toolu_${this.#blocks}`,
          name: raw.function?.name ?? '',
          input: {},
        });
        index = this.#open?.index as number;
        this.#toolBlocks.set(toolIndex, index);
      }
      const args = raw.function?.arguments;
      if (typeof args === 'string' && args !== '') {
        yield event('content_block_delta', {
          index,
          delta: { type: 'input_json_delta', partial_json: args },
        });
      }
    }
  }

  /** Claude's thinking, passed through by the Anthropic adapter for this wire: blocks as they came. */
  *#thinking(piece: ThinkingDelta): Generator<string> {
    if (piece.start === 'thinking') {
      yield* this.#openBlock('thinking', { type: 'thinking', thinking: '', signature: '' });
    } else if (piece.start === 'redacted_thinking') {
      yield* this.#openBlock('thinking', { type: 'redacted_thinking', data: piece.data ?? '' });
    }
    if (this.#open?.kind !== 'thinking') return;
    const index = this.#open.index;
    if (typeof piece.thinking === 'string') {
      yield event('content_block_delta', {
        index,
        delta: { type: 'thinking_delta', thinking: piece.thinking },
      });
    }
    if (typeof piece.signature === 'string') {
      yield event('content_block_delta', {
        index,
        delta: { type: 'signature_delta', signature: piece.signature },
      });
    }
  }

  *#openBlock(kind: BlockKind, block: Record<string, unknown>): Generator<string> {
    yield* this.#closeBlock();
    this.#open = { index: this.#blocks++, kind };
    yield event('content_block_start', { index: this.#open.index, content_block: block });
  }

  *#closeBlock(): Generator<string> {
    if (!this.#open) return;
    yield event('content_block_stop', { index: this.#open.index });
    this.#open = undefined;
  }

  *finish(finish: string | null | undefined, usage: Usage | undefined, debug: unknown): Generator<string> {
    yield* this.#closeBlock();
    yield event('message_delta', {
      delta: { stop_reason: stopReasonOf(finish), stop_sequence: null },
      usage: anthropicUsage(usage),
      ...(debug ? { switchboard: debug } : {}),
    });
    yield event('message_stop', {});
  }
}

function event(type: string, fields: Record<string, unknown>): string {
  return `event: ${type}\ndata: ${JSON.stringify({ type, ...fields })}\n\n`;
}
