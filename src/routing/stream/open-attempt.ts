import { roundMs } from '../../common/clock.js';
import type { LinkedAbort } from '../../common/linked-abort.js';
import type { ChatCompletionChunk, ChatRequestBody, StreamEvent, Usage } from '../../providers/types.js';
import { UpstreamError } from '../../providers/upstream-error.js';
import { AttemptTimeout } from '../errors.js';
import type { Target } from '../types.js';
import type { RequestContext } from '../walk/request-context.js';

/** A stream that produced its first content: the commit point. */
export interface Opened {
  events: AsyncIterableIterator<StreamEvent>;
  /** Chunks read up to and including the first content, held back until the commit. */
  buffered: ChatCompletionChunk[];
  attempt: LinkedAbort;
  /** The stream already ended cleanly while we looked for its first content. */
  complete: boolean;
  finished: boolean;
  usage?: Usage;
}

/**
 * One streaming attempt up to its first content: headers within `first_byte_ms`, first content
 * token within `first_token_ms` of the attempt's start. Anything failing before that is an ordinary
 * failed attempt (transparent failover); a stream that ends without content is a transient failure.
 */
export async function openAttempt(
  ctx: RequestContext,
  target: Target,
  attempt: LinkedAbort,
  body: ChatRequestBody,
  wantsUsage: boolean,
  /** The first-token limit: the configured one, or one learnt from the model's p99 (adaptive_timeouts). */
  firstTokenMs: number = target.model.timeouts.firstTokenMs,
): Promise<Opened> {
  const { timeouts } = target.model;
  const startedAt = ctx.clock.now();
  // Headers cannot be allowed longer than the first token: a learnt limit shortens both.
  const firstByteMs = Math.min(timeouts.firstByteMs, firstTokenMs);
  attempt.arm(firstByteMs, () => new AttemptTimeout('first_byte', firstByteMs));
  const events = await target.provider.stream({
    body,
    upstreamModel: target.model.upstreamModel,
    maxOutputTokens: target.model.maxOutputTokens,
    signal: attempt.signal,
    headers: ctx.traceHeaders?.(ctx.requestId, target.model.id),
  });
  const left = firstTokenMs - (ctx.clock.now() - startedAt);
  attempt.arm(left, () => new AttemptTimeout('first_token', firstTokenMs));
  const buffered: ChatCompletionChunk[] = [];
  let finished = false;
  let usage: Usage | undefined;
  try {
    for (;;) {
      const next = await events.next();
      const event = next.done ? undefined : next.value;
      if (!event || event.type === 'done') {
        if (finished)
          return { events, buffered, attempt, complete: true, finished, ...(usage ? { usage } : {}) };
        throw new UpstreamError({
          kind: 'transient',
          code: 'stream_broken',
          providerMessage: 'stream ended before any content',
        });
      }
      if (event.type === 'malformed') {
        ctx.meta.malformedChunks++;
        continue;
      }
      const chunk = event.chunk;
      if (chunk.usage) usage = chunk.usage;
      if (chunk.choices.length === 0 && chunk.usage && !wantsUsage) continue;
      buffered.push(chunk);
      if (hasFinish(chunk)) finished = true;
      if (hasContent(chunk) || finished) {
        ctx.meta.timeToFirstTokenMs ??= roundMs(ctx.elapsedMs());
        attempt.disarm();
        return { events, buffered, attempt, complete: false, finished, ...(usage ? { usage } : {}) };
      }
    }
  } catch (error) {
    void events.return?.(undefined);
    throw error;
  }
}

export function hasFinish(chunk: ChatCompletionChunk): boolean {
  return chunk.choices.some((c) => c.finish_reason !== undefined && c.finish_reason !== null);
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
