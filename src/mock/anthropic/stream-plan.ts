import type { Fault } from '../faults.js';
import type { StreamPlan } from '../sse.js';
import { type AnswerBlock, eventFrame, type MessageMeta, type MessageUsage } from './bodies.js';

/** What `malformed:N` sends instead of the Nth content delta. */
export const MALFORMED_EVENT = 'event: content_block_delta\ndata: {not json\n\n';
/** What `overloaded-mid-stream:N` sends after N content deltas. */
export const OVERLOADED_EVENT = eventFrame({
  type: 'error',
  error: { type: 'overloaded_error', message: 'Overloaded' },
});

export interface AnthropicStreamOptions {
  /** The answer: a text block streamed as one `text_delta` per piece, or a tool_use streamed as JSON pieces. */
  block: AnswerBlock;
  /** The pieces of the text, or of the tool input's JSON. */
  pieces: readonly string[];
  stopReason: string;
  usage: MessageUsage;
  tokensPerSec: number;
}

/**
 * Frame layout, as Anthropic streams a message: message_start, content_block_start, ping, one
 * content_block_delta per piece, content_block_stop, message_delta (stop reason and cumulative usage),
 * message_stop (left out by `no-done`). Stream faults count content deltas, as on the OpenAI wire.
 */
export function buildAnthropicStreamPlan(
  meta: MessageMeta,
  fault: Fault,
  opts: AnthropicStreamOptions,
): StreamPlan {
  const gapMs = opts.tokensPerSec > 0 ? 1000 / opts.tokensPerSec : 0;
  const { usage } = opts;
  const startUsage = { ...usage, output_tokens: 1 };
  const frames = [
    eventFrame({
      type: 'message_start',
      message: {
        id: meta.id,
        type: 'message',
        role: 'assistant',
        model: meta.model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: startUsage,
      },
    }),
    eventFrame({
      type: 'content_block_start',
      index: 0,
      content_block: opts.block.type === 'text' ? { type: 'text', text: '' } : { ...opts.block, input: {} },
    }),
    eventFrame({ type: 'ping' }),
  ];
  const delays = [fault.type === 'slow-first-token' ? fault.ms : 0, 0, 0];
  const firstDelta = frames.length;
  opts.pieces.forEach((piece, i) => {
    const delta =
      opts.block.type === 'text'
        ? { type: 'text_delta', text: piece }
        : { type: 'input_json_delta', partial_json: piece };
    const malformed = fault.type === 'malformed' && fault.chunk === i + 1;
    frames.push(malformed ? MALFORMED_EVENT : eventFrame({ type: 'content_block_delta', index: 0, delta }));
    delays.push(i > 0 ? gapMs : 0);
  });
  frames.push(
    eventFrame({ type: 'content_block_stop', index: 0 }),
    eventFrame({
      type: 'message_delta',
      delta: { stop_reason: opts.stopReason, stop_sequence: null },
      usage,
    }),
  );
  delays.push(0, 0);
  if (fault.type !== 'no-done') {
    frames.push(eventFrame({ type: 'message_stop' }));
    delays.push(0);
  }

  const n = opts.pieces.length;
  const afterN = (chunks: number) => firstDelta + Math.min(chunks, n);
  if (fault.type === 'overloaded-mid-stream') {
    const i = afterN(fault.chunks);
    return { frames: [...frames.slice(0, i), OVERLOADED_EVENT], delays: [...delays.slice(0, i), 0] };
  }
  if (fault.type === 'stall') delays[afterN(fault.chunks)] = (delays[afterN(fault.chunks)] ?? 0) + fault.ms;
  if (fault.type === 'stream-cut') return { frames, delays, cutAfter: afterN(fault.chunks) - 1 };
  return { frames, delays };
}
