import type { ServerResponse } from 'node:http';
import { abortableSleep } from '../common/clock.js';
import type { Fault } from './faults.js';
import { type CompletionMeta, chunkBody, type Usage, usageChunkBody } from './responses.js';

export const SSE_HEADERS = {
  'content-type': 'text/event-stream',
  'cache-control': 'no-cache',
} as const;

export const DONE_FRAME = 'data: [DONE]\n\n';
/** What `malformed:N` sends instead of the Nth content chunk. */
export const MALFORMED_FRAME = 'data: {not json\n\n';

/** What `overloaded-mid-stream:N` sends after N content chunks on the OpenAI wire. */
export const OVERLOADED_FRAME =
  'data: {"error":{"message":"The server is overloaded.","type":"server_error","code":"overloaded"}}\n\n';

export function sseFrame(data: unknown): string {
  return `data: ${JSON.stringify(data)}\n\n`;
}

/** The frames of one streamed answer, when to send them, and where (if anywhere) to cut the socket. */
export interface StreamPlan {
  frames: string[];
  /** Milliseconds to wait before sending `frames[i]` (same length as `frames`). */
  delays: number[];
  /** Index of the last frame sent before the socket is destroyed; undefined = end normally. */
  cutAfter?: number;
}

export interface StreamPlanOptions {
  includeUsage: boolean;
  usage: Usage;
  /** Pace between content chunks; 0 = as fast as possible. */
  tokensPerSec: number;
  /** Stream the reply's words as the arguments of a call to this tool instead of as text. */
  toolCall?: string;
}

/**
 * Frame layout: [0] role chunk, [1..n] one chunk per word, [n+1] finish chunk, then the usage chunk
 * (if asked for) and `[DONE]` (unless `no-done`). Stream faults shape the frames, delays and cut.
 */
export function buildStreamPlan(
  meta: CompletionMeta,
  words: readonly string[],
  fault: Fault,
  opts: StreamPlanOptions,
): StreamPlan {
  const withUsage = opts.includeUsage;
  const gapMs = opts.tokensPerSec > 0 ? 1000 / opts.tokensPerSec : 0;
  const frames = [sseFrame(chunkBody(meta, { role: 'assistant', content: '' }, null, withUsage))];
  const delays = [fault.type === 'slow-first-token' ? fault.ms : 0];

  words.forEach((word, i) => {
    const isMalformed = fault.type === 'malformed' && fault.chunk === i + 1;
    const delta = opts.toolCall ? toolCallDelta(opts.toolCall, word, i) : { content: word };
    frames.push(isMalformed ? MALFORMED_FRAME : sseFrame(chunkBody(meta, delta, null, withUsage)));
    delays.push(i > 0 ? gapMs : 0);
  });

  frames.push(sseFrame(chunkBody(meta, {}, opts.toolCall ? 'tool_calls' : 'stop', withUsage)));
  delays.push(0);
  if (withUsage) {
    frames.push(sseFrame(usageChunkBody(meta, opts.usage)));
    delays.push(0);
  }
  if (fault.type !== 'no-done') {
    frames.push(DONE_FRAME);
    delays.push(0);
  }

  const n = words.length;
  if (fault.type === 'overloaded-mid-stream') {
    // After N content chunks: the error chunk OpenAI-compatible servers send, then the end.
    const i = Math.min(fault.chunks, n) + 1;
    return { frames: [...frames.slice(0, i), OVERLOADED_FRAME], delays: [...delays.slice(0, i), 0] };
  }
  if (fault.type === 'stall') {
    // After N content chunks (or after the last one when the reply is shorter): before frame N+1.
    const i = Math.min(fault.chunks, n) + 1;
    delays[i] = (delays[i] ?? 0) + fault.ms;
  }
  if (fault.type === 'stream-cut') return { frames, delays, cutAfter: Math.min(fault.chunks, n) };
  return { frames, delays };
}

export type StreamResult = 'done' | 'cut' | 'aborted';

/**
 * Sends a plan's frames. Frames without a delay between them are coalesced into one write, so an
 * unpaced healthy stream is a single `res.end`. On `cut` the frames up to `cutAfter` have been
 * handed to the kernel and the caller destroys the socket. `aborted`: the signal fired (client
 * gone) during a wait; nothing more is written. `signal` is a getter so that a stream without
 * waits never allocates an AbortController.
 */
export async function writeStream(
  res: ServerResponse,
  plan: StreamPlan,
  signal: () => AbortSignal,
): Promise<StreamResult> {
  const last = plan.cutAfter ?? plan.frames.length - 1;
  let pending = '';
  for (let i = 0; i <= last; i++) {
    const delay = plan.delays[i] ?? 0;
    if (delay > 0) {
      if (pending !== '') res.write(pending);
      pending = '';
      try {
        await abortableSleep(delay, signal());
      } catch {
        return 'aborted';
      }
      if (signal().aborted || res.destroyed) return 'aborted';
    }
    pending += plan.frames[i] ?? '';
  }
  if (plan.cutAfter === undefined) {
    res.end(pending);
    return 'done';
  }
  await new Promise<void>((resolve) => {
    res.write(pending, () => resolve());
  });
  return 'cut';
}

function toolCallDelta(name: string, piece: string, i: number) {
  const call =
    i === 0
      ? { index: 0, id: 'call_0', type: 'function' as const, function: { name, arguments: piece } }
      : { index: 0, function: { arguments: piece } };
  return { tool_calls: [call] };
}
