import type { LinkedAbort } from '../../common/linked-abort.js';
import { factsOf } from '../../providers/chunk-facts.js';
import { classifyNetworkError } from '../../providers/classify-network.js';
import { LocalFailure } from '../../providers/local-failure.js';
import type {
  ChatCompletionChunk,
  ChatRequestBody,
  ChunkEvent,
  StreamBatch,
  StreamEvent,
  Usage,
} from '../../providers/types.js';
import { UpstreamError } from '../../providers/upstream-error.js';
import { estimatePromptTokens } from '../chain/order-chain.js';
import { costUsd } from '../cost.js';
import type { RequestFailedError } from '../errors.js';
import { AttemptTimeout, HedgeLost } from '../errors.js';
import { gatewayStreamFailure, shutdownFailure, streamInterrupted } from '../failures.js';
import type { ResultMetadata } from '../metadata.js';
import type { Begun, EngineDeps, Target } from '../types.js';
import { walkChain } from '../walk/walk.js';
import { type Opened, openAttempt } from './open-attempt.js';
import { OverlapTrimmer } from './overlap-trimmer.js';
import { continueStream } from './recovery.js';

/**
 * A committed stream: iterate it for chunks, or take them batch by batch with `batches()` (one or
 * the other, once); `metadata` fills in (usage, cost) as it ends.
 */
export interface StreamResult extends AsyncIterable<ChatCompletionChunk> {
  readonly metadata: ResultMetadata;
  /**
   * The chunks in batches: those one upstream read carried, together (never an empty batch), each
   * with the upstream's JSON text (`raw`) while it is unchanged. What the gateway's chat endpoint
   * writes to the client in one go.
   */
  batches(): AsyncIterable<readonly ChunkEvent[]>;
  /** Stops reading and aborts the upstream request (recorded as `cancelled`). */
  cancel(): void;
  /**
   * Ends the stream because the server is stopping: the upstream request is aborted and the iterator
   * throws a `shutdown` RequestFailedError, so the caller gets an error event rather than a bare cut,
   * and the ledger and logs record `shutdown`.
   */
  shutdown(): void;
}

/** How a committed stream ended. */
type Outcome = 'success' | 'cancelled' | 'interrupted' | 'shutdown';

/** The part of the answer one model produced. */
interface Segment {
  target: Target;
  events: AsyncIterableIterator<StreamBatch>;
  attempt: LinkedAbort;
  usage?: Usage;
  /** Content text this segment passed on. */
  text: string;
  /** A continuation: its repeat of what the caller already has is trimmed. */
  trimmer?: OverlapTrimmer;
}

/**
 * Opens a stream through the chain. Failover is transparent until the first content chunk: chunks
 * before it (the role chunk) are held back, so a model that fails first leaves no trace in the answer.
 */
export async function openStream(
  deps: EngineDeps,
  begun: Begun,
  body: ChatRequestBody,
): Promise<StreamResult> {
  const { ctx, plan } = begun;
  const wantsUsage = isObject(body.stream_options) && body.stream_options.include_usage === true;
  const { value: opened, target } = await walkChain(
    deps,
    ctx,
    plan,
    (t, attempt) =>
      openAttempt(
        ctx,
        t,
        attempt,
        body,
        wantsUsage,
        deps.health.firstTokenLimitMs(t.model, plan.promptTokens),
      ),
    (lost) => lost.attempt.abort(new HedgeLost()),
  );
  ctx.scope.disarm(); // a flowing stream is not cut by the request deadline; the stall timer guards it
  return session({ deps, begun, body, wantsUsage }, opened, target);
}

/** What one stream session works with, for its whole life (across recoveries). */
interface SessionScope {
  deps: EngineDeps;
  begun: Begun;
  body: ChatRequestBody;
  /** The caller asked for a usage chunk (`stream_options.include_usage`). */
  wantsUsage: boolean;
}

function session(scope: SessionScope, first: Opened, firstTarget: Target): StreamResult {
  const { deps, begun, body, wantsUsage } = scope;
  const { ctx } = begun;
  const segments: Segment[] = [];
  let current = segment(first, firstTarget);
  let pending = first.buffered;
  let unread = first.unread;
  let complete = first.complete;
  let finished = first.finished;
  let sentText = '';
  let sentToolCalls = false;
  let started = false;
  /** Stopped from outside: by the caller (`cancel`), or by the server going down (`shutdown`). */
  let stopped: 'cancelled' | 'shutdown' | undefined;
  const recoverable = begun.route?.streamRecovery !== 'error' && (body.n === undefined || body.n === 1);

  function segment(opened: Opened, target: Target, trimmer?: OverlapTrimmer): Segment {
    const s: Segment = {
      target,
      events: opened.events,
      attempt: opened.attempt,
      text: '',
      ...(opened.usage ? { usage: opened.usage } : {}),
    };
    if (trimmer) s.trimmer = trimmer;
    segments.push(s);
    return s;
  }

  /**
   * Prepares a chunk for the caller: trims a continuation's repeat, records text; undefined = drop it.
   * An unchanged chunk is passed on as the same event (its `raw` text still true).
   */
  function pass(event: ChunkEvent): ChunkEvent | undefined {
    const facts = event.facts ?? factsOf(event.chunk);
    if (facts.usage) current.usage = facts.usage;
    if (facts.finished) finished = true;
    if (facts.noChoices) return facts.usage && wantsUsage ? event : undefined;
    if (facts.toolCalls) sentToolCalls = true;
    let text = facts.text;
    if (current.trimmer) {
      const chunk = event.chunk;
      const choice = chunk.choices[0];
      const delta = choice?.delta;
      const kept = choice && delta ? current.trimmer.push(text) : text;
      if (choice && delta && (kept !== text || delta.role !== undefined)) {
        const { role: _role, ...rest } = delta;
        text = kept;
        const meaningful = text !== '' || Object.keys(rest).some((k) => k !== 'content') || facts.finished;
        if (!meaningful) return undefined;
        const trimmed = {
          ...chunk,
          choices: [{ ...choice, delta: { ...rest, content: text } }, ...chunk.choices.slice(1)],
        };
        event = { type: 'chunk', chunk: trimmed };
      }
    }
    current.text += text;
    sentText += text;
    return event;
  }

  /**
   * Takes one read's events: the chunks to pass on into `out`. `more` = read on; `ended` = the stream
   * ended as it should; an error = it ended unfinished.
   */
  function take(events: readonly StreamEvent[], out: ChunkEvent[]): 'more' | 'ended' | UpstreamError {
    for (const event of events) {
      if (event.type === 'done') return finished ? 'ended' : endedUnfinished();
      if (event.type === 'malformed') {
        ctx.meta.malformedChunks++;
        deps.bus.emit({
          type: 'stream.malformed_chunk',
          requestId: ctx.requestId,
          model: current.target.model.id,
        });
        continue;
      }
      const passed = pass(event);
      if (passed) out.push(passed);
    }
    return 'more';
  }

  async function* batches(): AsyncGenerator<ChunkEvent[]> {
    const onCallerAbort = () => current.attempt.abort(ctx.signal.reason);
    ctx.signal.addEventListener('abort', onCallerAbort, { once: true });
    let outcome: Outcome = 'cancelled';
    let failure: RequestFailedError | undefined;
    try {
      for (;;) {
        let out: ChunkEvent[] = [];
        for (const event of pending) {
          const passed = pass(event);
          if (passed) out.push(passed);
        }
        pending = [];
        if (complete) {
          if (out.length > 0) yield out;
          outcome = 'success';
          return;
        }
        let events = unread;
        unread = [];
        let broken: unknown;
        for (;;) {
          const state = take(events, out);
          if (out.length > 0) yield out;
          out = [];
          if (state === 'ended') {
            outcome = 'success';
            return;
          }
          if (state !== 'more') {
            broken = state;
            break;
          }
          const stallMs = current.target.model.timeouts.stallMs;
          current.attempt.arm(stallMs, () => new AttemptTimeout('stall', stallMs));
          let next: IteratorResult<StreamBatch>;
          try {
            next = await current.events.next();
          } catch (error) {
            broken = error;
            break;
          } finally {
            current.attempt.disarm();
          }
          if (next.done) {
            if (finished) {
              outcome = 'success';
              return;
            }
            broken = endedUnfinished();
            break;
          }
          events = next.value;
        }
        if (stopped === 'shutdown') {
          outcome = 'shutdown';
          failure = shutdownFailure(ctx.meta);
          throw failure;
        }
        // Withdrawn by the caller or by us (cancel): no verdict on the model.
        if (ctx.callerAborted || stopped === 'cancelled' || broken instanceof HedgeLost) return;
        if (!(broken instanceof UpstreamError || broken instanceof AttemptTimeout))
          broken = classifyNetworkError(broken);
        if (broken instanceof LocalFailure) {
          // The gateway failed, not the model: no breaker verdict, and no recovery (it would fail alike).
          outcome = 'interrupted';
          failure = gatewayStreamFailure(ctx.meta, {
            model: current.target.model.id,
            message: broken.message,
          });
          throw failure;
        }
        // The stream broke after content reached the caller.
        markInterrupted(deps, ctx, current, broken);
        const reason = describe(broken);
        if (!recoverable || sentToolCalls) {
          outcome = 'interrupted';
          failure = streamInterrupted(ctx.meta, {
            model: current.target.model.id,
            reason,
            ...(recoverable ? { why: 'tool calls cannot be continued' } : {}),
          });
          throw failure;
        }
        try {
          const next = await continueStream(deps, begun, body, current.target.model.id, sentText, wantsUsage);
          const record = {
            from: current.target.model.id,
            to: next.target.model.id,
            mode: next.mode,
            partialChars: sentText.length,
            reason,
          };
          ctx.meta.recoveries.push(record);
          deps.bus.emit({ type: 'stream.recovered', requestId: ctx.requestId, ...record });
          current = segment(next.opened, next.target, new OverlapTrimmer(sentText));
          pending = next.opened.buffered;
          unread = next.opened.unread;
          complete = next.opened.complete;
          finished = next.opened.finished;
        } catch {
          if (ctx.callerAborted || stopped === 'cancelled') return;
          if (stopped === 'shutdown') {
            outcome = 'shutdown';
            failure = shutdownFailure(ctx.meta);
            throw failure;
          }
          ctx.meta.recoveries.push({ from: current.target.model.id, partialChars: sentText.length, reason });
          outcome = 'interrupted';
          failure = streamInterrupted(ctx.meta, {
            model: current.target.model.id,
            reason,
            why: 'no model could continue it',
          });
          throw failure;
        }
      }
    } finally {
      ctx.signal.removeEventListener('abort', onCallerAbort);
      if (outcome !== 'success') current.attempt.abort(new HedgeLost());
      current.attempt.dispose();
      finish(scope, { segments, outcome, failure });
    }
  }

  const iterator = batches();
  const stop = (why: 'cancelled' | 'shutdown') => {
    stopped ??= why;
    current.attempt.abort(new HedgeLost());
    if (!started) void iterator.return(undefined);
  };
  return {
    metadata: ctx.meta,
    cancel: () => stop('cancelled'),
    shutdown: () => stop('shutdown'),
    batches() {
      started = true;
      return iterator;
    },
    [Symbol.asyncIterator]() {
      started = true;
      return flatten(iterator);
    },
  };
}

async function* flatten(batches: AsyncIterable<readonly ChunkEvent[]>): AsyncGenerator<ChatCompletionChunk> {
  for await (const batch of batches) for (const event of batch) yield event.chunk;
}

function endedUnfinished(): UpstreamError {
  return new UpstreamError({
    kind: 'transient',
    code: 'stream_broken',
    providerMessage: 'stream ended without finishing',
  });
}

function describe(error: unknown): string {
  if (error instanceof AttemptTimeout)
    return error.phase === 'stall' ? `stalled for ${error.timeoutMs} ms` : error.message;
  if (error instanceof UpstreamError) return error.providerMessage ?? error.code;
  return 'the connection broke';
}

/** The attempt that had succeeded is now a failure of its model: record it and tell its breaker. */
function markInterrupted(
  deps: EngineDeps,
  ctx: { meta: ResultMetadata },
  current: Segment,
  error: unknown,
): void {
  const code =
    error instanceof AttemptTimeout ? 'stall' : error instanceof UpstreamError ? error.code : 'stream_broken';
  const model = current.target.model.id;
  for (let i = ctx.meta.attempts.length - 1; i >= 0; i--) {
    const record = ctx.meta.attempts[i];
    if (record?.model === model && record.outcome === 'success') {
      record.outcome = code === 'stall' ? 'timeout' : 'error';
      record.errorKind = 'transient';
      record.errorCode = code;
      record.message = 'stream broke after content was sent';
      break;
    }
  }
  deps.health.breaker(model).recordFailure(code);
}

/**
 * Seals the metadata: usage and cost summed over every model that produced tokens (estimated from the
 * text for a segment whose usage never arrived), and the request's outcome event.
 */
function finish(
  { deps, begun, body }: SessionScope,
  end: {
    segments: Segment[];
    outcome: Outcome;
    failure?: RequestFailedError;
  },
): void {
  const { segments, outcome, failure } = end;
  const meta = begun.ctx.finish();
  const promptEstimate = estimatePromptTokens(body.messages);
  let prompt = 0;
  let completion = 0;
  let cost = 0;
  for (const s of segments) {
    const usage = s.usage ?? estimatedUsage(promptEstimate, s.text);
    prompt += finite(usage.prompt_tokens);
    completion += finite(usage.completion_tokens);
    cost += costUsd(usage, s.target.model.price);
    deps.health.noteTokens(s.target.model.id, finite(usage.total_tokens));
  }
  if (segments.length === 1 && segments[0]?.usage) meta.usage = segments[0].usage;
  else
    meta.usage = { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
  if (outcome === 'success') {
    meta.costUsd = cost;
    deps.bus.emit({ type: 'request.succeeded', requestId: meta.requestId, metadata: meta });
    return;
  }
  meta.wastedCostUsd += cost;
  const code = failure?.code ?? (outcome === 'interrupted' ? 'stream_interrupted' : outcome);
  const message = failure?.message ?? 'the stream was cancelled by the caller';
  deps.bus.emit({ type: 'request.failed', requestId: meta.requestId, code, message, metadata: meta });
}

function estimatedUsage(promptTokens: number, text: string): Usage {
  const completion = Math.ceil(text.length / 4);
  return {
    prompt_tokens: promptTokens,
    completion_tokens: completion,
    total_tokens: promptTokens + completion,
  };
}

function finite(n: unknown): number {
  return typeof n === 'number' && Number.isFinite(n) && n > 0 ? n : 0;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
