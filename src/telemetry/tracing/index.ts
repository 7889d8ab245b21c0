import { createRequire } from 'node:module';
import type { SwitchboardConfig } from '../../config/types.js';
import type { EventBus, TraceHeaders } from '../../routing/index.js';
import { createTraceSink } from './otel-sdk.js';
import { RequestTracer } from './request-tracer.js';
import { type Env, resolveTracingSettings, type TracingSettings } from './settings.js';

export { type Env, resolveTracingSettings, type TracingSettings, TracingSettingsError } from './settings.js';
export { registerTracingMetrics } from './tracing-metrics.js';

/** OpenTelemetry tracing of one Switchboard: an event subscriber, and the seams it needs. */
export interface Tracing {
  readonly settings: TracingSettings;
  /** The engine's `traceHeaders`: trace context for the upstream calls of propagating providers. */
  readonly traceHeaders: TraceHeaders;
  /** A pino `mixin`: `trace_id` / `span_id` on every log line that names a traced request. */
  readonly logMixin: (line: object) => object;
  /** Subscribes; returns the unsubscribe function. */
  attach(bus: Pick<EventBus, 'on'>): () => void;
  /** Spans lost (full queue, collector down). */
  readonly droppedSpans: number;
  /** Exports what is queued now. */
  flush(): Promise<void>;
  /** Ends open spans, exports what is queued (waiting at most 2 s), stops. */
  close(): Promise<void>;
}

/** How long closing waits for the last spans to reach the collector. */
const SHUTDOWN_EXPORT_MS = 2_000; // 2s

/**
 * Tracing for this config and environment, or undefined when it is off (then nothing of
 * OpenTelemetry is loaded). Throws a TracingSettingsError naming a bad `OTEL_*` variable.
 */
export function createTracing(config: SwitchboardConfig, env: Env): Tracing | undefined {
  const settings = resolveTracingSettings(config, env);
  if (settings === undefined) return undefined;
  const sink = createTraceSink(settings, packageVersion());
  const tracer = new RequestTracer(config, sink, settings.propagateTo);
  let closing: Promise<void> | undefined;
  return {
    settings,
    traceHeaders: tracer.traceHeaders,
    logMixin: (line) => {
      const requestId = (line as { requestId?: unknown }).requestId;
      // A new object every time: pino merges the line into what the mixin returns.
      return (typeof requestId === 'string' && tracer.logFields(requestId)) || {};
    },
    attach: (bus) => bus.on(tracer.handle),
    get droppedSpans() {
      return sink.droppedSpans;
    },
    flush: () => sink.flush(),
    close() {
      closing ??= (async () => {
        tracer.endAll();
        // An unreachable collector must neither fail nor hold up a shutdown: what is lost is counted.
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([
          sink.shutdown().catch(() => {}),
          new Promise<void>((resolve) => {
            timer = setTimeout(resolve, SHUTDOWN_EXPORT_MS);
            timer.unref();
          }),
        ]);
        clearTimeout(timer);
      })();
      return closing;
    },
  };
}

function packageVersion(): string {
  try {
    // src/telemetry/tracing/ and dist/telemetry/tracing/ are both three levels below package.json.
    return (createRequire(import.meta.url)('../../../package.json') as { version: string }).version;
  } catch {
    return 'unknown';
  }
}
