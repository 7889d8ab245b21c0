import { roundMs } from '../common/clock.js';
import type { LinkedAbort } from '../common/linked-abort.js';
import type { ChatCompletionChunk, ChatRequestBody, StreamEvent } from '../providers/types.js';
import { UpstreamError } from '../providers/upstream-error.js';
import { costUsd } from './cost.js';
import type { Engine, EngineDeps, Target } from './engine.js';
import { AttemptTimeout, RequestFailedError } from './errors.js';
import type { ResultMetadata } from './metadata.js';
import type { RequestContext } from './request-context.js';

/** A committed stream: iterate it for chunks; `metadata` fills in (usage, cost) as it ends. */
export interface StreamResult extends AsyncIterable<ChatCompletionChunk> {
  readonly metadata: ResultMetadata;
  /** Stops reading and aborts the upstream request. */
  cancel(): void;
}

interface Opened {
  events: AsyncIterableIterator<StreamEvent>;
  buffered: ChatCompletionChunk[];
  attempt: LinkedAbort;
  /** The stream ended cleanly while we were looking for its first content. */
  complete: boolean;
  finished: boolean;
}

/**
 * Opens a stream through the chain. Failover is transparent until the first content chunk: chunks
 * before it (the role chunk) are held back, so a model that fails first leaves no trace in the answer.
 */
export async function openStream(
  engine: Engine,
  deps: EngineDeps,
  ctx: RequestContext,
  body: ChatRequestBody,
  chain: readonly string[],
  fallbackOnContentPolicy: boolean,
): Promise<StreamResult> {
  const wantsUsage = isObject(body.stream_options) && body.stream_options.include_usage === true;
  const { value: opened, target } = await engine.walk(ctx, chain, fallbackOnContentPolicy, (t, attempt) =>
    openAttempt(ctx, t, attempt, body, wantsUsage),
  );
  ctx.scope.disarm(); // a flowing stream is not cut by the request deadline; the idle timer guards it
  return session(deps, ctx, target, opened, wantsUsage);
}

async function openAttempt(
  ctx: RequestContext,
  target: Target,
  attempt: LinkedAbort,
  body: ChatRequestBody,
  wantsUsage: boolean,
): Promise<Opened> {
  const { timeouts } = target.model;
  attempt.arm(timeouts.firstByteMs, new AttemptTimeout('first_byte', timeouts.firstByteMs));
  const events = await target.provider.stream({
    body,
    upstreamModel: target.model.upstreamModel,
    signal: attempt.signal,
  });
  attempt.arm(timeouts.attemptMs, new AttemptTimeout('attempt', timeouts.attemptMs));
  const buffered: ChatCompletionChunk[] = [];
  let finished = false;
  for (;;) {
    const next = await events.next();
    const event = next.done ? undefined : next.value;
    if (!event || event.type === 'done') {
      if (finished) return { events, buffered, attempt, complete: true, finished };
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
    if (chunk.usage) ctx.meta.usage = chunk.usage;
    if (chunk.choices.length === 0 && chunk.usage && !wantsUsage) continue;
    buffered.push(chunk);
    if (hasFinish(chunk)) finished = true;
    if (hasContent(chunk) || finished) {
      ctx.meta.timeToFirstTokenMs = roundMs(ctx.elapsedMs());
      attempt.disarm();
      return { events, buffered, attempt, complete: false, finished };
    }
  }
}

function session(
  deps: EngineDeps,
  ctx: RequestContext,
  target: Target,
  opened: Opened,
  wantsUsage: boolean,
): StreamResult {
  const { events, buffered, attempt } = opened;
  const idleMs = target.model.timeouts.attemptMs;
  let finished = opened.finished;
  let started = false;

  async function* chunks(): AsyncGenerator<ChatCompletionChunk> {
    const onCallerAbort = () => attempt.abort(ctx.signal.reason);
    ctx.signal.addEventListener('abort', onCallerAbort, { once: true });
    let outcome: 'success' | 'cancelled' | 'interrupted' = 'cancelled';
    let failure: RequestFailedError | undefined;
    try {
      for (const chunk of buffered) yield chunk;
      if (opened.complete) {
        outcome = 'success';
        return;
      }
      for (;;) {
        attempt.arm(idleMs, new AttemptTimeout('idle', idleMs));
        let next: IteratorResult<StreamEvent>;
        try {
          next = await events.next();
        } catch (error) {
          if (ctx.callerAborted) return;
          outcome = 'interrupted';
          failure = interrupted(deps, ctx, target, error);
          throw failure;
        } finally {
          attempt.disarm();
        }
        const event = next.done ? undefined : next.value;
        if (!event || event.type === 'done') {
          if (finished) {
            outcome = 'success';
            return;
          }
          outcome = 'interrupted';
          failure = interrupted(
            deps,
            ctx,
            target,
            new UpstreamError({
              kind: 'transient',
              code: 'stream_broken',
              providerMessage: 'stream ended without finishing',
            }),
          );
          throw failure;
        }
        if (event.type === 'malformed') {
          ctx.meta.malformedChunks++;
          deps.bus.emit({ type: 'stream.malformed_chunk', requestId: ctx.requestId, model: target.model.id });
          continue;
        }
        const chunk = event.chunk;
        if (chunk.usage) ctx.meta.usage = chunk.usage;
        if (hasFinish(chunk)) finished = true;
        if (chunk.choices.length === 0 && chunk.usage && !wantsUsage) continue;
        yield chunk;
      }
    } finally {
      ctx.signal.removeEventListener('abort', onCallerAbort);
      if (outcome !== 'success')
        attempt.abort(new RequestFailedError('cancelled', 'stream closed', 499, ctx.meta));
      attempt.dispose();
      finish(deps, ctx, target, outcome, failure);
    }
  }

  const iterator = chunks();
  return {
    metadata: ctx.meta,
    cancel() {
      attempt.abort(new RequestFailedError('cancelled', 'stream cancelled', 499, ctx.meta));
      if (!started) void iterator.return(undefined);
    },
    [Symbol.asyncIterator]() {
      started = true;
      return iterator;
    },
  };
}

function interrupted(
  deps: EngineDeps,
  ctx: RequestContext,
  target: Target,
  error: unknown,
): RequestFailedError {
  const upstream = error instanceof UpstreamError ? error : undefined;
  const code = error instanceof AttemptTimeout ? 'timeout' : (upstream?.code ?? 'stream_broken');
  const record = ctx.meta.attempts[ctx.meta.attempts.length - 1];
  if (record) {
    record.outcome = code === 'timeout' ? 'timeout' : 'error';
    record.errorKind = 'transient';
    record.errorCode = code;
    record.message = 'stream broke after content was sent';
  }
  deps.health.breaker(target.model.id).recordFailure(code);
  return new RequestFailedError(
    'stream_interrupted',
    `the stream from ${target.model.id} broke after content was sent (${code}); the answer is incomplete`,
    502,
    ctx.meta,
  );
}

function finish(
  deps: EngineDeps,
  ctx: RequestContext,
  target: Target,
  outcome: 'success' | 'cancelled' | 'interrupted',
  failure: RequestFailedError | undefined,
) {
  const meta = ctx.finish();
  const cost = costUsd(meta.usage, target.model.price);
  if (outcome === 'success') {
    meta.costUsd = cost;
    deps.bus.emit({ type: 'request.succeeded', requestId: meta.requestId, metadata: meta });
    return;
  }
  meta.wastedCostUsd += cost;
  const code = outcome === 'cancelled' ? 'cancelled' : 'stream_interrupted';
  const message = failure?.message ?? 'the stream was cancelled by the caller';
  deps.bus.emit({ type: 'request.failed', requestId: meta.requestId, code, message, metadata: meta });
}

function hasFinish(chunk: ChatCompletionChunk): boolean {
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

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
