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
import type { RequestContext } from '../walk/request-context.js';
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
  /** Characters of content text this segment passed on (what its usage is estimated from, if it has none). */
  chars: number;
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
  return new StreamSession({ deps, begun, body, wantsUsage }, opened, target);
}

/** What one stream session works with, for its whole life (across recoveries). */
interface SessionScope {
  deps: EngineDeps;
  begun: Begun;
  body: ChatRequestBody;
  /** The caller asked for a usage chunk (`stream_options.include_usage`). */
  wantsUsage: boolean;
}

/**
 * One committed stream, for its whole life (across recoveries). A class, not a closure: its batch
 * generator is a method, shared by every session. A generator function declared inside a
 * per-request closure gets a fresh prototype and initial map on every call, which cost ~40 us per
 * stream and kept ~3 KB of each finished stream alive past two scavenges (measured in
 * bench/README.md, "Where a streamed request's CPU goes").
 */
class StreamSession implements StreamResult {
  readonly metadata: ResultMetadata;
  readonly #scope: SessionScope;
  readonly #ctx: RequestContext;
  readonly #segments: Segment[] = [];
  #current: Segment;
  #pending: ChunkEvent[];
  #unread: readonly StreamEvent[];
  #finished: boolean;
  #sentText = '';
  #sentToolCalls = false;
  #started = false;
  /** Stopped from outside: by the caller (`cancel`), or by the server going down (`shutdown`). */
  #stopped: 'cancelled' | 'shutdown' | undefined;
  readonly #recoverable: boolean;
  readonly #iterator: AsyncGenerator<ChunkEvent[]>;

  constructor(scope: SessionScope, first: Opened, firstTarget: Target) {
    this.#scope = scope;
    this.#ctx = scope.begun.ctx;
    this.metadata = this.#ctx.meta;
    this.#current = this.#segment(first, firstTarget);
    this.#pending = first.buffered;
    this.#unread = first.unread;
    this.#finished = first.finished;
    const { begun, body } = scope;
    this.#recoverable = begun.route?.streamRecovery !== 'error' && (body.n === undefined || body.n === 1);
    this.#iterator = this.#run();
  }

  cancel(): void {
    this.#stop('cancelled');
  }

  shutdown(): void {
    this.#stop('shutdown');
  }

  batches(): AsyncGenerator<ChunkEvent[]> {
    this.#started = true;
    return this.#iterator;
  }

  [Symbol.asyncIterator](): AsyncGenerator<ChatCompletionChunk> {
    this.#started = true;
    return flatten(this.#iterator);
  }

  #stop(why: 'cancelled' | 'shutdown'): void {
    this.#stopped ??= why;
    this.#current.attempt.abort(new HedgeLost());
    if (!this.#started) void this.#iterator.return(undefined);
  }

  #segment(opened: Opened, target: Target, trimmer?: OverlapTrimmer): Segment {
    const s: Segment = {
      target,
      events: opened.events,
      attempt: opened.attempt,
      chars: 0,
      ...(opened.usage ? { usage: opened.usage } : {}),
    };
    if (trimmer) s.trimmer = trimmer;
    this.#segments.push(s);
    return s;
  }

  /**
   * Prepares a chunk for the caller: trims a continuation's repeat, records text; undefined = drop it.
   * An unchanged chunk is passed on as the same event (its `raw` text still true).
   */
  #pass(event: ChunkEvent): ChunkEvent | undefined {
    const facts = event.facts ?? factsOf(event.chunk);
    if (facts.usage) this.#current.usage = facts.usage;
    if (facts.finished) this.#finished = true;
    if (facts.noChoices) return facts.usage && this.#scope.wantsUsage ? event : undefined;
    if (facts.toolCalls) this.#sentToolCalls = true;
    let text = facts.text;
    if (this.#current.trimmer) {
      const chunk = event.chunk;
      const choice = chunk.choices[0];
      const delta = choice?.delta;
      const kept = choice && delta ? this.#current.trimmer.push(text) : text;
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
    this.#current.chars += text.length;
    this.#sentText += text;
    return event;
  }

  /**
   * Takes one read's events: the chunks to pass on into `out`. `more` = read on; `ended` = the stream
   * ended as it should; an error = it ended unfinished.
   */
  #take(events: readonly StreamEvent[], out: ChunkEvent[]): 'more' | 'ended' | UpstreamError {
    for (const event of events) {
      if (event.type === 'done') return this.#finished ? 'ended' : endedUnfinished();
      if (event.type === 'malformed') {
        this.#ctx.meta.malformedChunks++;
        this.#scope.deps.bus.emit({
          type: 'stream.malformed_chunk',
          requestId: this.#ctx.requestId,
          model: this.#current.target.model.id,
        });
        continue;
      }
      const passed = this.#pass(event);
      if (passed) out.push(passed);
    }
    return 'more';
  }

  async *#run(): AsyncGenerator<ChunkEvent[]> {
    const { deps, begun, body, wantsUsage } = this.#scope;
    const ctx = this.#ctx;
    const onCallerAbort = () => this.#current.attempt.abort(ctx.signal.reason);
    ctx.signal.addEventListener('abort', onCallerAbort, { once: true });
    let outcome: Outcome = 'cancelled';
    let failure: RequestFailedError | undefined;
    try {
      for (;;) {
        let out: ChunkEvent[] = [];
        for (const event of this.#pending) {
          const passed = this.#pass(event);
          if (passed) out.push(passed);
        }
        this.#pending = [];
        let events = this.#unread;
        this.#unread = [];
        let broken: unknown;
        for (;;) {
          const state = this.#take(events, out);
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
          const stallMs = this.#current.target.model.timeouts.stallMs;
          this.#current.attempt.arm(stallMs, () => new AttemptTimeout('stall', stallMs));
          let next: IteratorResult<StreamBatch>;
          try {
            next = await this.#current.events.next();
          } catch (error) {
            broken = error;
            break;
          } finally {
            this.#current.attempt.disarm();
          }
          if (next.done) {
            if (this.#finished) {
              outcome = 'success';
              return;
            }
            broken = endedUnfinished();
            break;
          }
          events = next.value;
        }
        if (this.#stopped === 'shutdown') {
          outcome = 'shutdown';
          failure = shutdownFailure(ctx.meta);
          throw failure;
        }
        // Withdrawn by the caller or by us (cancel): no verdict on the model.
        if (ctx.callerAborted || this.#stopped === 'cancelled' || broken instanceof HedgeLost) return;
        if (!(broken instanceof UpstreamError || broken instanceof AttemptTimeout))
          broken = classifyNetworkError(broken);
        if (broken instanceof LocalFailure) {
          // The gateway failed, not the model: no breaker verdict, and no recovery (it would fail alike).
          outcome = 'interrupted';
          failure = gatewayStreamFailure(ctx.meta, {
            model: this.#current.target.model.id,
            message: broken.message,
          });
          throw failure;
        }
        // The stream broke after content reached the caller.
        markInterrupted(deps, ctx, this.#current, broken);
        const reason = describe(broken);
        if (!this.#recoverable || this.#sentToolCalls) {
          outcome = 'interrupted';
          failure = streamInterrupted(ctx.meta, {
            model: this.#current.target.model.id,
            reason,
            ...(this.#recoverable ? { why: 'tool calls cannot be continued' } : {}),
          });
          throw failure;
        }
        try {
          const next = await continueStream(
            deps,
            begun,
            body,
            this.#current.target.model.id,
            this.#sentText,
            wantsUsage,
          );
          const record = {
            from: this.#current.target.model.id,
            to: next.target.model.id,
            mode: next.mode,
            partialChars: this.#sentText.length,
            reason,
          };
          ctx.meta.recoveries.push(record);
          deps.bus.emit({ type: 'stream.recovered', requestId: ctx.requestId, ...record });
          this.#current = this.#segment(next.opened, next.target, new OverlapTrimmer(this.#sentText));
          this.#pending = next.opened.buffered;
          this.#unread = next.opened.unread;
          this.#finished = next.opened.finished;
        } catch {
          if (ctx.callerAborted || this.#stopped === 'cancelled') return;
          if (this.#stopped === 'shutdown') {
            outcome = 'shutdown';
            failure = shutdownFailure(ctx.meta);
            throw failure;
          }
          ctx.meta.recoveries.push({
            from: this.#current.target.model.id,
            partialChars: this.#sentText.length,
            reason,
          });
          outcome = 'interrupted';
          failure = streamInterrupted(ctx.meta, {
            model: this.#current.target.model.id,
            reason,
            why: 'no model could continue it',
          });
          throw failure;
        }
      }
    } finally {
      ctx.signal.removeEventListener('abort', onCallerAbort);
      if (outcome !== 'success') this.#current.attempt.abort(new HedgeLost());
      this.#current.attempt.dispose();
      finish(this.#scope, { segments: this.#segments, outcome, failure });
    }
  }
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
    const usage = s.usage ?? estimatedUsage(promptEstimate, s.chars);
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

function estimatedUsage(promptTokens: number, chars: number): Usage {
  const completion = Math.ceil(chars / 4);
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
