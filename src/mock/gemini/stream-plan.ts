import type { Fault } from '../faults.js';
import type { StreamPlan } from '../sse.js';
import { candidateResponse, type GeminiMeta, type GeminiTokens, usageMetadata } from './responses.js';

/** Gemini separates SSE events with CRLF pairs. */
export function geminiFrame(data: unknown): string {
  return `data: ${JSON.stringify(data)}\r\n\r\n`;
}
/** What `malformed:N` sends instead of the Nth content piece. */
export const MALFORMED_GEMINI_FRAME = 'data: {not json\r\n\r\n';

export interface GeminiStreamOptions {
  tokens: GeminiTokens;
  tokensPerSec: number;
  /** Stream one whole function call (Gemini sends calls whole) instead of the words. */
  functionCall?: { name: string; args: Record<string, unknown> };
}

/**
 * Frame layout: [0..n-1] one GenerateContentResponse per word (usage so far on each, as Gemini does),
 * [n] the closing piece: an empty text part, `finishReason: STOP` and the full usage. There is no
 * `[DONE]`: `no-done` leaves out the closing piece (the body still ends cleanly). A function call is
 * one content piece. Stream faults shape the frames, delays and cut as on the OpenAI wire.
 */
export function buildGeminiStreamPlan(
  meta: GeminiMeta,
  words: readonly string[],
  fault: Fault,
  opts: GeminiStreamOptions,
): StreamPlan {
  const gapMs = opts.tokensPerSec > 0 ? 1000 / opts.tokensPerSec : 0;
  const partial = usageMetadata(opts.tokens, false);
  const pieces = opts.functionCall
    ? [candidateResponse(meta, [{ functionCall: opts.functionCall }], undefined, partial)]
    : words.map((word) => candidateResponse(meta, [{ text: word }], undefined, partial));
  const frames: string[] = [];
  const delays: number[] = [];
  pieces.forEach((piece, i) => {
    const isMalformed = fault.type === 'malformed' && fault.chunk === i + 1;
    frames.push(isMalformed ? MALFORMED_GEMINI_FRAME : geminiFrame(piece));
    delays.push(i === 0 ? (fault.type === 'slow-first-token' ? fault.ms : 0) : gapMs);
  });
  if (fault.type !== 'no-done') {
    frames.push(geminiFrame(candidateResponse(meta, [{ text: '' }], 'STOP', usageMetadata(opts.tokens))));
    delays.push(frames.length === 1 && fault.type === 'slow-first-token' ? fault.ms : 0);
  }
  const n = pieces.length;
  if (fault.type === 'stall') {
    // After N content pieces (or after the last one when the reply is shorter): before piece N+1.
    const i = Math.min(fault.chunks, n);
    if (i < frames.length) delays[i] = (delays[i] ?? 0) + fault.ms;
  }
  if (fault.type === 'stream-cut') return { frames, delays, cutAfter: Math.min(fault.chunks, n) - 1 };
  return { frames, delays };
}
