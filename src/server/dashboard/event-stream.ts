import { Counter, Gauge, type Registry } from 'prom-client';
import type { Clock } from '../../common/clock.js';
import type { EventBus, SwitchboardEvent } from '../../routing/index.js';
import { GatewayError, invalidRequest } from '../wire/gateway-error.js';
import {
  type EventFilter,
  EventFilterError,
  matchesFilter,
  parseEventFilter,
  sseFrame,
  toWireEvent,
} from './event-wire.js';

/** Bounds of `GET /events`. */
export interface EventStreamOptions {
  /** Bytes a subscriber may leave unread in the gateway's buffer before it is dropped (default 256 KiB). */
  maxBufferedBytes?: number;
  /** Concurrent subscribers (default 32); one more gets a 503. */
  maxSubscribers?: number;
  /** A `: ping` comment this often keeps proxies from closing an idle stream (default 15 s). */
  heartbeatMs?: number;
}

const DEFAULTS = {
  maxBufferedBytes: 256 * 1024, // 256 KiB
  maxSubscribers: 32,
  heartbeatMs: 15_000, // 15s
} as const;

/** Requests whose route is remembered between `request.started` and their end. */
const MAX_TRACKED_REQUESTS = 10_000;

interface Subscriber {
  filter: EventFilter;
  /** Frames not yet taken by the face that writes them. */
  queue: string[];
  queuedBytes: number;
  /** Wakes the frames generator when a frame arrives or the stream ends. */
  wake: (() => void) | undefined;
  ended: boolean;
}

/** One subscriber's stream: its frames as they come, until it is dropped, cancelled or the hub closes. */
export interface Subscription {
  frames: AsyncGenerator<string>;
  /** The client went away (or the server stops): forget the subscriber. */
  end(): void;
}

export interface EventHubDeps {
  bus: Pick<EventBus, 'on'>;
  clock: Clock;
  /** Strings that must never reach the wire (the config's keys and URLs). */
  secrets: readonly string[];
  /** Route → chain, for `?route=` and breaker changes. */
  routes: Readonly<Record<string, readonly string[]>>;
  registry: Registry;
}

/**
 * `GET /events`: the engine's events as server-sent events, redacted by `event-wire.ts`. Each
 * subscriber is bounded: a frame that would leave more than `maxBufferedBytes` unread in its socket's
 * buffer drops it (the connection is closed and `switchboard_events_dropped_total` counts it), so a
 * slow reader never makes the gateway buffer without limit. Nothing is built while nobody listens.
 */
export class EventHub {
  readonly #deps: EventHubDeps;
  readonly #maxBufferedBytes: number;
  readonly #maxSubscribers: number;
  readonly #subscribers = new Set<Subscriber>();
  /** requestId → route, from `request.started` to the request's end. */
  readonly #routes = new Map<string, string>();
  readonly #dropped: Counter;
  readonly #detach: () => void;
  readonly #heartbeat: NodeJS.Timeout;
  #nextId = 1;
  #closed = false;

  constructor(deps: EventHubDeps, options: EventStreamOptions = {}) {
    this.#deps = deps;
    this.#maxBufferedBytes = options.maxBufferedBytes ?? DEFAULTS.maxBufferedBytes;
    this.#maxSubscribers = options.maxSubscribers ?? DEFAULTS.maxSubscribers;
    this.#dropped = new Counter({
      name: 'switchboard_events_dropped_total',
      help: 'Subscribers of GET /events disconnected because they read too slowly (their buffer passed the bound).',
      registers: [deps.registry],
    });
    const subscribers = this.#subscribers;
    new Gauge({
      name: 'switchboard_events_subscribers',
      help: 'Clients connected to GET /events.',
      registers: [deps.registry],
      collect() {
        this.set(subscribers.size);
      },
    });
    this.#detach = deps.bus.on(this.#onEvent);
    this.#heartbeat = setInterval(
      () => this.#broadcast(': ping\n\n'),
      options.heartbeatMs ?? DEFAULTS.heartbeatMs,
    );
    this.#heartbeat.unref();
  }

  get subscriberCount(): number {
    return this.#subscribers.size;
  }

  /**
   * Subscribes with the filter of `query`: 400 for a bad filter, 503 when closing or full. The frames
   * start with `: connected`; a subscriber whose unread frames pass `maxBufferedBytes` is dropped.
   */
  subscribe(query: URLSearchParams): Subscription {
    let filter: EventFilter;
    try {
      filter = parseEventFilter(query, this.#deps.routes);
    } catch (error) {
      if (error instanceof EventFilterError)
        throw invalidRequest(error.message, error.param, 'invalid_event_filter');
      throw error;
    }
    if (this.#closed)
      throw new GatewayError(503, 'api_error', 'shutting_down', 'The gateway is shutting down.');
    if (this.#subscribers.size >= this.#maxSubscribers) {
      throw new GatewayError(
        503,
        'api_error',
        'too_many_subscribers',
        `GET /events already has ${this.#maxSubscribers} subscribers, its limit; try again later.`,
        null,
        { 'retry-after': '5' },
      );
    }
    const subscriber: Subscriber = { filter, queue: [], queuedBytes: 0, wake: undefined, ended: false };
    this.#subscribers.add(subscriber);
    const end = () => this.#end(subscriber);
    return { frames: framesOf(subscriber, end), end };
  }

  /** Ends every stream and stops listening. */
  close(): void {
    this.#closed = true;
    clearInterval(this.#heartbeat);
    this.#detach();
    for (const s of [...this.#subscribers]) this.#end(s);
  }

  readonly #onEvent = (event: SwitchboardEvent): void => {
    // Nobody listens: nothing to build, and no route to remember.
    if (this.#subscribers.size === 0) return;
    const route = this.#routeOf(event);
    const wire = toWireEvent(event, Math.round(this.#deps.clock.now()), this.#deps.secrets, route);
    let frame: string | undefined;
    for (const s of this.#subscribers) {
      if (!matchesFilter(s.filter, wire)) continue;
      frame ??= sseFrame(this.#nextId++, wire);
      this.#send(s, frame);
    }
  };

  /**
   * Remembers each request's route while it runs (bounded), and forgets it at its end; only while
   * somebody listens. A Map with an entry in and out per request rebuilds its table now and then,
   * and a table that has reached the old generation is rebuilt there: ~70 B of old-generation garbage
   * per request at 32 connections (bench/README.md). So a request already running when the first
   * subscriber arrives has no route until its end event, which carries one.
   */
  #routeOf(event: SwitchboardEvent): string | undefined {
    if (!('requestId' in event)) return undefined;
    if (event.type === 'request.started') {
      if (event.route === undefined) return undefined;
      if (this.#routes.size >= MAX_TRACKED_REQUESTS) {
        const oldest = this.#routes.keys().next().value;
        if (oldest !== undefined) this.#routes.delete(oldest);
      }
      this.#routes.set(event.requestId, event.route);
      return event.route;
    }
    const route = this.#routes.get(event.requestId);
    if (event.type === 'request.succeeded' || event.type === 'request.failed') {
      this.#routes.delete(event.requestId);
      return route ?? event.metadata.route;
    }
    return route;
  }

  #broadcast(text: string): void {
    for (const s of this.#subscribers) this.#send(s, text);
  }

  #send(s: Subscriber, text: string): void {
    if (s.ended) return;
    const bytes = Buffer.byteLength(text);
    if (s.queuedBytes + bytes > this.#maxBufferedBytes) {
      this.#dropped.inc();
      this.#end(s);
      return;
    }
    s.queue.push(text);
    s.queuedBytes += bytes;
    s.wake?.();
  }

  #end(s: Subscriber): void {
    this.#subscribers.delete(s);
    if (this.#subscribers.size === 0) this.#routes.clear();
    s.ended = true;
    s.wake?.();
  }
}

/** A subscriber's queue as SSE frames; ends when the subscriber does (and forgets it if abandoned). */
async function* framesOf(s: Subscriber, end: () => void): AsyncGenerator<string> {
  try {
    yield ': connected\n\n';
    for (;;) {
      while (s.queue.length > 0) {
        const frame = s.queue.shift() as string;
        s.queuedBytes -= Buffer.byteLength(frame);
        yield frame;
      }
      if (s.ended) return;
      await new Promise<void>((resolve) => {
        s.wake = resolve;
      });
      s.wake = undefined;
    }
  } finally {
    end();
  }
}
