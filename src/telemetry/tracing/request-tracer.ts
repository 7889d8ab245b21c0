import type { Context, Span } from '@opentelemetry/api';
import type { SwitchboardConfig } from '../../config/types.js';
import type { SwitchboardEvent } from '../../routing/index.js';
import {
  type Attributes,
  attemptEndAttributes,
  attemptStartAttributes,
  resultAttributes,
} from './attributes.js';
import type { TraceSink } from './otel-sdk.js';

const SERVER = 1; // SpanKind.SERVER
const CLIENT = 2; // SpanKind.CLIENT
const ERROR = 2; // SpanStatusCode.ERROR

/** One request being traced: its server span and its attempts in flight (one per model at most). */
interface RequestTrace {
  span: Span;
  /** The server span as a parent context, for the attempts. */
  context: Context;
  operation: string;
  attempts: Map<string, Span>;
  /** The span log lines of this request belong to: the latest attempt, else the server span. */
  current: Span;
}

export interface TraceLogFields {
  trace_id: string;
  span_id: string;
}

const getter = {
  get: (carrier: Record<string, string>, key: string) => carrier[key],
  keys: (carrier: Record<string, string>) => Object.keys(carrier),
};
const setter = {
  set: (carrier: Record<string, string>, key: string, value: string) => {
    carrier[key] = value;
  },
};

/**
 * Turns engine events into spans: a server span per request (continuing the caller's trace), a
 * client span per attempt, span events for skips, cooldowns, breaker changes, fallbacks, retries,
 * hedges and stream recoveries. Spans start and end as the events fire (they are synchronous), so
 * the engine needs no hook beyond `traceHeaders`.
 */
export class RequestTracer {
  readonly #config: SwitchboardConfig;
  readonly #sink: TraceSink;
  readonly #propagateTo: ReadonlySet<string>;
  readonly #requests = new Map<string, RequestTrace>();
  /** The request whose attempt on a model came last: a breaker transition belongs to it. */
  readonly #lastByModel = new Map<string, RequestTrace>();

  constructor(config: SwitchboardConfig, sink: TraceSink, propagateTo: ReadonlySet<string>) {
    this.#config = config;
    this.#sink = sink;
    this.#propagateTo = propagateTo;
  }

  /** Requests whose server span is open (tests; bounded by the requests in flight). */
  get openRequests(): number {
    return this.#requests.size;
  }

  /** `traceparent` / `tracestate` for the attempt on `model` that just started, when its provider takes them. */
  traceHeaders = (requestId: string, model: string): Record<string, string> | undefined => {
    const provider = this.#config.models[model]?.provider;
    if (provider === undefined || !this.#propagateTo.has(provider)) return undefined;
    const span = this.#requests.get(requestId)?.attempts.get(model);
    if (span === undefined) return undefined;
    const carrier: Record<string, string> = {};
    this.#sink.propagator.inject(
      this.#sink.api.trace.setSpan(this.#sink.api.ROOT_CONTEXT, span),
      carrier,
      setter,
    );
    return carrier;
  };

  /** For log lines about `requestId`: its trace and current span. */
  logFields(requestId: string): TraceLogFields | undefined {
    const trace = this.#requests.get(requestId);
    if (trace === undefined) return undefined;
    const context = trace.current.spanContext();
    return { trace_id: context.traceId, span_id: context.spanId };
  }

  handle = (event: SwitchboardEvent): void => {
    switch (event.type) {
      case 'request.started':
        this.#start(event);
        return;
      case 'attempt.started':
        this.#startAttempt(event);
        return;
      case 'attempt.succeeded':
      case 'attempt.failed': {
        const trace = this.#requests.get(event.requestId);
        const span = trace?.attempts.get(event.model);
        if (!trace || !span) return;
        trace.attempts.delete(event.model);
        if (span.isRecording()) {
          span.setAttributes(attemptEndAttributes(this.#config, event));
          if (event.type === 'attempt.failed' && event.outcome !== 'cancelled')
            span.setStatus({ code: ERROR, message: event.errorCode ?? event.outcome });
        }
        span.end();
        return;
      }
      case 'model.skipped':
        this.#event(event.requestId, 'switchboard.model.skipped', {
          'switchboard.model': event.model,
          'switchboard.skip.reason': event.reason,
          ...(event.untilMs !== undefined ? { 'switchboard.until_ms': event.untilMs } : {}),
        });
        return;
      case 'model.cooling_down':
        this.#event(event.requestId, 'switchboard.model.cooling_down', {
          'switchboard.model': event.model,
          'switchboard.retry_after_ms': event.retryAfterMs,
        });
        return;
      case 'fallback':
        this.#event(event.requestId, 'switchboard.fallback', {
          'switchboard.fallback.from': event.from,
          'switchboard.fallback.to': event.to,
          'switchboard.fallback.reason': event.reason,
        });
        return;
      case 'retry.scheduled':
        this.#event(event.requestId, 'switchboard.retry.scheduled', {
          'switchboard.model': event.model,
          'switchboard.retry.delay_ms': event.delayMs,
          'switchboard.retry.reason': event.reason,
        });
        return;
      case 'retry.budget_exhausted':
        this.#event(event.requestId, 'switchboard.retry.budget_exhausted', {
          'switchboard.model': event.model,
        });
        return;
      case 'hedge.started':
        this.#event(event.requestId, 'switchboard.hedge.started', {
          'switchboard.model': event.model,
          'switchboard.hedge.model': event.hedge,
          'switchboard.hedge.after_ms': event.afterMs,
        });
        return;
      case 'stream.recovered':
        this.#event(event.requestId, 'switchboard.stream.recovered', {
          'switchboard.stream.from': event.from,
          ...(event.to !== undefined ? { 'switchboard.stream.to': event.to } : {}),
          ...(event.mode !== undefined ? { 'switchboard.stream.mode': event.mode } : {}),
          'switchboard.stream.partial_chars': event.partialChars,
          'switchboard.stream.reason': event.reason,
        });
        return;
      case 'breaker.transition': {
        if (event.remote) return; // learnt from another instance: no request of ours caused it
        const trace = this.#lastByModel.get(event.model);
        if (trace === undefined) return;
        this.#addEvent(trace, 'switchboard.breaker.transition', {
          'switchboard.model': event.model,
          'switchboard.breaker.from': event.from,
          'switchboard.breaker.to': event.to,
          'switchboard.breaker.reason': event.reason,
        });
        return;
      }
      case 'request.succeeded':
      case 'request.failed':
        this.#end(event);
        return;
      default:
        return;
    }
  };

  #start(event: Extract<SwitchboardEvent, { type: 'request.started' }>): void {
    const { api, tracer, propagator } = this.#sink;
    const parent = event.trace
      ? propagator.extract(api.ROOT_CONTEXT, { ...event.trace }, getter)
      : api.ROOT_CONTEXT;
    const operation = event.operation ?? 'chat';
    const requested = event.requestedModel ?? event.route;
    const attributes: Attributes = {
      'gen_ai.operation.name': operation,
      'switchboard.request_id': event.requestId,
      'switchboard.stream': event.stream,
      'switchboard.chain': [...event.chain],
    };
    if (requested !== undefined) attributes['gen_ai.request.model'] = requested;
    if (event.route !== undefined) attributes['switchboard.route'] = event.route;
    const span = tracer.startSpan(
      requested === undefined ? operation : `${operation} ${requested}`,
      { kind: SERVER, attributes },
      parent,
    );
    this.#requests.set(event.requestId, {
      span,
      context: api.trace.setSpan(api.ROOT_CONTEXT, span),
      operation,
      attempts: new Map(),
      current: span,
    });
  }

  #startAttempt(event: Extract<SwitchboardEvent, { type: 'attempt.started' }>): void {
    const trace = this.#requests.get(event.requestId);
    if (trace === undefined) return;
    const attributes = attemptStartAttributes(this.#config, trace.operation, event);
    const span = this.#sink.tracer.startSpan(
      `${trace.operation} ${attributes['gen_ai.request.model']}`,
      { kind: CLIENT, attributes },
      trace.context,
    );
    trace.attempts.get(event.model)?.end(); // never left open, whatever the order of events
    trace.attempts.set(event.model, span);
    trace.current = span;
    this.#lastByModel.set(event.model, trace);
  }

  #end(event: Extract<SwitchboardEvent, { type: 'request.succeeded' | 'request.failed' }>): void {
    const trace = this.#requests.get(event.requestId);
    if (trace === undefined) return;
    for (const span of trace.attempts.values()) span.end();
    trace.attempts.clear();
    const { span } = trace;
    if (span.isRecording()) {
      span.setAttributes(resultAttributes(this.#config, event.metadata));
      if (event.type === 'request.failed') {
        span.setAttribute('error.type', event.code);
        span.setStatus({ code: ERROR, message: event.code });
      }
    }
    span.end();
    // Forgotten once every listener of this event has run, so its log line still carries the trace.
    queueMicrotask(() => {
      if (this.#requests.get(event.requestId) === trace) this.#requests.delete(event.requestId);
      for (const [model, last] of this.#lastByModel) if (last === trace) this.#lastByModel.delete(model);
    });
  }

  #event(requestId: string, name: string, attributes: Attributes): void {
    const trace = this.#requests.get(requestId);
    if (trace !== undefined) this.#addEvent(trace, name, attributes);
  }

  #addEvent(trace: RequestTrace, name: string, attributes: Attributes): void {
    if (trace.span.isRecording()) trace.span.addEvent(name, attributes);
  }

  /** Ends what is still open (shutdown): spans of requests that never finished. */
  endAll(): void {
    for (const trace of this.#requests.values()) {
      for (const span of trace.attempts.values()) span.end();
      trace.span.end();
    }
    this.#requests.clear();
    this.#lastByModel.clear();
  }
}
