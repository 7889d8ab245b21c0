import pino, { type Logger } from 'pino';
import type { EventBus, SwitchboardEvent } from '../routing/index.js';

export type { Logger };

/**
 * A structured JSON logger (pino) writing to stdout, or to `destination` when given; `mixin` adds
 * fields to every line (tracing: `trace_id` / `span_id`).
 */
export function createLogger(
  level: string,
  destination?: pino.DestinationStream,
  mixin?: (line: object) => object,
): Logger {
  return pino(
    {
      level,
      base: { service: 'switchboard' },
      timestamp: pino.stdTimeFunctions.isoTime,
      ...(mixin ? { mixin } : {}),
    },
    destination,
  );
}

/**
 * Subscribes a logger to the engine's events: one line per event, with its request id. Healthy traffic
 * logs at debug; failures, fallbacks and breaker changes at warn. Events carry no secrets by design.
 */
export function attachLogger(bus: Pick<EventBus, 'on'>, logger: Logger): () => void {
  return bus.on((event) => log(logger, event));
}

function log(logger: Logger, event: SwitchboardEvent): void {
  switch (event.type) {
    case 'request.started':
    case 'attempt.started':
    case 'attempt.succeeded':
      if (logger.isLevelEnabled('debug')) logger.debug(event, event.type);
      return;
    case 'request.succeeded': {
      const m = event.metadata;
      const rescued = m.fallbacks > 0 || m.retries > 0;
      // Most answers are healthy and log at debug: build nothing for a line that is not written.
      if (!logger.isLevelEnabled(rescued ? 'info' : 'debug')) return;
      const line = {
        type: event.type,
        requestId: event.requestId,
        route: m.route,
        model: m.model,
        provider: m.provider,
        attempts: m.attempts.length,
        fallbacks: m.fallbacks,
        retries: m.retries,
        latencyMs: m.latencyMs,
        timeToFirstTokenMs: m.timeToFirstTokenMs,
        costUsd: m.costUsd,
      };
      if (rescued) logger.info(line, `answered by ${m.model} after ${m.attempts.length} attempts`);
      else logger.debug(line, event.type);
      return;
    }
    case 'request.failed': {
      const m = event.metadata;
      const level =
        event.code === 'upstream_client_error' || event.code === 'cancelled'
          ? 'info'
          : event.code === 'shutdown'
            ? 'warn'
            : 'error';
      logger[level](
        {
          type: event.type,
          requestId: event.requestId,
          code: event.code,
          route: m.route,
          attempts: m.attempts,
          skipped: m.skipped,
        },
        event.message,
      );
      return;
    }
    case 'fallback':
      if (event.sameProvider) {
        logger.warn(
          event,
          `fell back from ${event.from} to ${event.to} on the same provider ${event.toProvider}: that is no fallback`,
        );
      } else {
        logger.warn(event, `fallback ${event.from} → ${event.to}: ${event.reason}`);
      }
      return;
    case 'attempt.failed':
      logger.warn(event, `${event.model} failed: ${event.status ?? event.errorCode ?? event.outcome}`);
      return;
    case 'breaker.transition':
      logger.warn(event, `circuit ${event.model}: ${event.from} → ${event.to}`);
      return;
    case 'stream.recovered':
      logger.warn(
        event,
        event.to
          ? `stream from ${event.from} broke (${event.reason}); ${event.to} continued it (${event.mode})`
          : `stream from ${event.from} broke (${event.reason}); no model could continue it`,
      );
      return;
    case 'hedge.started':
      logger.info(event, `${event.model} slow after ${event.afterMs} ms: hedging with ${event.hedge}`);
      return;
    case 'retry.budget_exhausted':
      logger.warn(event, `retry budget exhausted: ${event.model} not retried`);
      return;
    case 'model.cooling_down':
      logger.warn(event, `${event.model} cooling down for ${event.retryAfterMs} ms`);
      return;
    default:
      logger.info(event, event.type);
  }
}
