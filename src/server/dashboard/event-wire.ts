import type { AttemptRecord, SwitchboardEvent, SwitchboardEventType } from '../../routing/index.js';
import { redact } from '../../telemetry/redact.js';

/**
 * The engine's events as `GET /events` sends them: an allow-list of fields per type, so what reaches
 * the wire is exactly what is named here. Never prompts, completions, keys, URLs or provider message
 * bodies (`AttemptRecord.message`, `request.failed.message` are left out); free-text reasons are the
 * engine's own words, still passed through the config's secrets.
 */
export interface WireEvent {
  type: SwitchboardEventType;
  /** ms since the epoch, when the gateway saw it. */
  at_ms: number;
  /** The route of the request, when known. */
  route?: string;
  [field: string]: unknown;
}

/** Every event type, for filter validation. Keep in step with `SwitchboardEvent`. */
export const EVENT_TYPES: readonly SwitchboardEventType[] = [
  'request.started',
  'attempt.started',
  'hedge.started',
  'retry.budget_exhausted',
  'stream.recovered',
  'attempt.succeeded',
  'attempt.failed',
  'retry.scheduled',
  'model.skipped',
  'model.cooling_down',
  'fallback',
  'breaker.transition',
  'stream.malformed_chunk',
  'request.succeeded',
  'request.failed',
  'probe.started',
  'probe.succeeded',
  'probe.failed',
  'probe.skipped',
];

/** Longest free-text reason kept. */
const MAX_REASON_CHARS = 200;

/** The wire form of one engine event (pure). `route` is the request's, when the caller knows it. */
export function toWireEvent(
  event: SwitchboardEvent,
  atMs: number,
  secrets: readonly string[],
  route?: string,
): WireEvent {
  const text = (s: string) => redact(s, secrets).slice(0, MAX_REASON_CHARS);
  const base = { type: event.type, at_ms: atMs, ...(route === undefined ? {} : { route }) };
  switch (event.type) {
    case 'request.started':
      return { ...base, requestId: event.requestId, chain: [...event.chain], stream: event.stream };
    case 'attempt.started':
      return {
        ...base,
        requestId: event.requestId,
        model: event.model,
        provider: event.provider,
        probe: event.probe,
        retry: event.retry,
        hedge: event.hedge,
      };
    case 'hedge.started':
      return {
        ...base,
        requestId: event.requestId,
        model: event.model,
        hedge: event.hedge,
        afterMs: event.afterMs,
      };
    case 'probe.started':
    case 'probe.succeeded':
    case 'probe.failed':
    case 'probe.skipped':
      // Synthetic health probes: numbers, names and codes only (no content, no provider message).
      return { ...base, ...event };
    case 'retry.budget_exhausted':
    case 'stream.malformed_chunk':
      return { ...base, requestId: event.requestId, model: event.model };
    case 'stream.recovered':
      return {
        ...base,
        requestId: event.requestId,
        from: event.from,
        to: event.to ?? null,
        mode: event.mode ?? null,
        partialChars: event.partialChars,
        reason: text(event.reason),
      };
    case 'attempt.succeeded':
    case 'attempt.failed':
      return { ...base, requestId: event.requestId, ...attemptFields(event) };
    case 'retry.scheduled':
      return {
        ...base,
        requestId: event.requestId,
        model: event.model,
        delayMs: event.delayMs,
        reason: text(event.reason),
      };
    case 'model.skipped':
      return {
        ...base,
        requestId: event.requestId,
        model: event.model,
        reason: event.reason,
        untilMs: event.untilMs ?? null,
      };
    case 'model.cooling_down':
      return {
        ...base,
        requestId: event.requestId,
        model: event.model,
        untilMs: event.untilMs,
        retryAfterMs: event.retryAfterMs,
      };
    case 'fallback':
      return {
        ...base,
        requestId: event.requestId,
        from: event.from,
        to: event.to,
        fromProvider: event.fromProvider,
        toProvider: event.toProvider,
        sameProvider: event.sameProvider,
        reason: text(event.reason),
      };
    case 'breaker.transition':
      return {
        ...base,
        model: event.model,
        from: event.from,
        to: event.to,
        cooldownMs: event.cooldownMs,
        reason: text(event.reason),
        remote: event.remote === true,
      };
    case 'request.succeeded': {
      const m = event.metadata;
      return {
        ...base,
        requestId: event.requestId,
        model: m.model ?? null,
        provider: m.provider ?? null,
        attempts: m.attempts.length,
        fallbacks: m.fallbacks,
        retries: m.retries,
        hedges: m.hedges,
        recoveries: m.recoveries.length,
        latencyMs: m.latencyMs,
        timeToFirstTokenMs: m.timeToFirstTokenMs ?? null,
        costUsd: m.costUsd,
      };
    }
    case 'request.failed': {
      const m = event.metadata;
      return {
        ...base,
        requestId: event.requestId,
        code: event.code,
        attempts: m.attempts.map((a) => ({ model: a.model, ...attemptVerdict(a) })),
        skipped: m.skipped.map((s) => ({ model: s.model, reason: s.reason })),
      };
    }
  }
}

function attemptFields(a: AttemptRecord): Record<string, unknown> {
  return {
    model: a.model,
    provider: a.provider,
    ...attemptVerdict(a),
    durationMs: a.durationMs,
    waitBeforeMs: a.waitBeforeMs,
    probe: a.probe === true,
    hedge: a.hedge === true,
  };
}

function attemptVerdict(a: AttemptRecord): Record<string, unknown> {
  return {
    outcome: a.outcome,
    status: a.status ?? null,
    errorKind: a.errorKind ?? null,
    errorCode: a.errorCode ?? null,
  };
}

/** One SSE frame: `id`, `event` (the type) and the JSON `data` on one line. */
export function sseFrame(id: number, wire: WireEvent): string {
  return `id: ${id}\nevent: ${wire.type}\ndata: ${JSON.stringify(wire)}\n\n`;
}

/** What a subscriber asked for: `?type=fallback,attempt.` and `?route=R`. */
export interface EventFilter {
  /** Exact types, or prefixes ending in `.`; undefined = every type. */
  types?: readonly string[];
  route?: string;
  /** The route's chain: a breaker change of one of these models belongs to the route. */
  routeModels?: ReadonlySet<string>;
}

/** A filter that cannot be honoured: the message names the parameter and the valid values. */
export class EventFilterError extends Error {
  constructor(
    message: string,
    readonly param: string,
  ) {
    super(message);
    this.name = 'EventFilterError';
  }
}

/**
 * Reads `type` (comma-separated exact types or prefixes such as `attempt.`; a bare family name like
 * `attempt` means `attempt.`) and `route`. Unknown parameters, types and routes are errors.
 */
export function parseEventFilter(
  query: URLSearchParams,
  routes: Readonly<Record<string, readonly string[]>>,
): EventFilter {
  for (const key of query.keys()) {
    if (key !== 'type' && key !== 'route')
      throw new EventFilterError(`unknown parameter "${key}"; /events takes type and route`, key);
  }
  const filter: { types?: string[]; route?: string; routeModels?: Set<string> } = {};
  const typeParam = query.getAll('type').join(',');
  if (typeParam.trim() !== '') {
    filter.types = [];
    for (const raw of typeParam.split(',')) {
      const t = raw.trim();
      if (t === '') continue;
      const entry = EVENT_TYPES.includes(t as SwitchboardEventType) || t.endsWith('.') ? t : `${t}.`;
      if (!EVENT_TYPES.some((known) => matchesType(entry, known))) {
        throw new EventFilterError(
          `type "${t.slice(0, 60)}" matches no event; types: ${EVENT_TYPES.join(', ')} (a prefix such as attempt. matches a family)`,
          'type',
        );
      }
      filter.types.push(entry);
    }
  }
  const route = query.get('route');
  if (route !== null) {
    const chain = Object.hasOwn(routes, route) ? routes[route] : undefined;
    if (!chain) {
      throw new EventFilterError(
        `route "${route.slice(0, 60)}" is not configured; routes: ${Object.keys(routes).join(', ')}`,
        'route',
      );
    }
    filter.route = route;
    filter.routeModels = new Set(chain);
  }
  return filter;
}

function matchesType(entry: string, type: string): boolean {
  return entry.endsWith('.') ? type.startsWith(entry) : type === entry;
}

/** Does a wire event pass the filter? Breaker changes have no request: they pass for the routes of their model. */
export function matchesFilter(filter: EventFilter, wire: WireEvent): boolean {
  if (filter.types && !filter.types.some((t) => matchesType(t, wire.type))) return false;
  if (filter.route === undefined) return true;
  if (wire.route !== undefined) return wire.route === filter.route;
  return wire.type === 'breaker.transition' && filter.routeModels?.has(wire.model as string) === true;
}
