import { roundMs } from '../../common/clock.js';
import type { LinkedAbort } from '../../common/linked-abort.js';
import { factsOf } from '../../providers/chunk-facts.js';
import type { ChatRequestBody, ChunkEvent, StreamBatch, StreamEvent, Usage } from '../../providers/types.js';
import { UpstreamError } from '../../providers/upstream-error.js';
import { AttemptTimeout } from '../errors.js';
import type { Target } from '../types.js';
import type { RequestContext } from '../walk/request-context.js';

/** A stream that produced its first content: the commit point. */
export interface Opened {
  events: AsyncIterableIterator<StreamBatch>;
  /** Chunks read up to and including the first content, held back until the commit. */
  buffered: ChunkEvent[];
  /** The events after the first content in the same read: the session takes them before reading on. */
  unread: readonly StreamEvent[];
  attempt: LinkedAbort;
  /** The first content came with a finish (the session sees it again as it passes the buffered chunks). */
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
  const buffered: ChunkEvent[] = [];
  let finished = false;
  let usage: Usage | undefined;
  const opened = (unread: readonly StreamEvent[]): Opened => ({
    events,
    buffered,
    unread,
    attempt,
    finished,
    ...(usage ? { usage } : {}),
  });
  try {
    for (;;) {
      const next = await events.next();
      const batch: StreamBatch = next.done ? [] : next.value;
      for (let i = 0; i < batch.length; i++) {
        const event = batch[i] as StreamEvent;
        // A finish counts as content (returned below), so an end seen here came before any.
        if (event.type === 'done') throw endedBeforeContent();
        if (event.type === 'malformed') {
          ctx.meta.malformedChunks++;
          continue;
        }
        const facts = event.facts ?? factsOf(event.chunk);
        if (facts.usage) usage = facts.usage;
        if (facts.noChoices && facts.usage && !wantsUsage) continue;
        buffered.push(event);
        if (facts.finished) finished = true;
        if (facts.hasContent || finished) {
          ctx.meta.timeToFirstTokenMs ??= roundMs(ctx.elapsedMs());
          attempt.disarm();
          return opened(batch.slice(i + 1));
        }
      }
      if (next.done) throw endedBeforeContent();
    }
  } catch (error) {
    void events.return?.(undefined);
    throw error;
  }
}

function endedBeforeContent(): UpstreamError {
  return new UpstreamError({
    kind: 'transient',
    code: 'stream_broken',
    providerMessage: 'stream ended before any content',
  });
}
