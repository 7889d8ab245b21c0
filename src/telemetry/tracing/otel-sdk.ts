import type * as Api from '@opentelemetry/api';
import type * as Core from '@opentelemetry/core';
import type * as HttpExporter from '@opentelemetry/exporter-trace-otlp-http';
import type * as ProtoExporter from '@opentelemetry/exporter-trace-otlp-proto';
import type * as Resources from '@opentelemetry/resources';
import type * as SdkTrace from '@opentelemetry/sdk-trace-base';
import { lazyRequire } from '../../common/lazy-require.js';
import { countDroppedSpans, type DropCounter } from './dropped-spans.js';
import type { TracingSettings } from './settings.js';

// Loaded only when tracing is configured: a gateway without it never loads the SDK.
const loadApi = lazyRequire<typeof Api>('@opentelemetry/api');
const loadCore = lazyRequire<typeof Core>('@opentelemetry/core');
const loadSdk = lazyRequire<typeof SdkTrace>('@opentelemetry/sdk-trace-base');
const loadResources = lazyRequire<typeof Resources>('@opentelemetry/resources');
const loadProto = lazyRequire<typeof ProtoExporter>('@opentelemetry/exporter-trace-otlp-proto');
const loadJson = lazyRequire<typeof HttpExporter>('@opentelemetry/exporter-trace-otlp-http');

/** The OpenTelemetry parts one Switchboard traces with; nothing is registered globally. */
export interface TraceSink {
  api: typeof Api;
  tracer: Api.Tracer;
  propagator: Api.TextMapPropagator;
  /** Spans lost: the export queue was full, or the collector could not take them. */
  readonly droppedSpans: number;
  /** Exports what is queued (tests, shutdown). */
  flush(): Promise<void>;
  shutdown(): Promise<void>;
}

/**
 * A `BasicTracerProvider` with a parent-based ratio sampler, a `BatchSpanProcessor` and an OTLP/HTTP
 * exporter (protobuf or JSON). Spans are exported in batches on the processor's timer, never on a
 * request's path; a collector that is down costs the queue's memory and counted drops, nothing else.
 */
export function createTraceSink(settings: TracingSettings, version: string): TraceSink {
  const api = loadApi();
  const sdk = loadSdk();
  const { W3CTraceContextPropagator } = loadCore();
  const Exporter =
    settings.protocol === 'http/json' ? loadJson().OTLPTraceExporter : loadProto().OTLPTraceExporter;
  const drops: DropCounter = { count: 0 };
  const exporter = countDroppedSpans(
    new Exporter({
      url: settings.url,
      headers: { ...settings.headers },
      timeoutMillis: settings.exportTimeoutMs,
    }),
    drops,
  );
  const processor = new sdk.BatchSpanProcessor(exporter, {
    maxQueueSize: settings.batch.maxQueueSize,
    maxExportBatchSize: Math.min(settings.batch.maxExportBatchSize, settings.batch.maxQueueSize),
    scheduledDelayMillis: settings.batch.scheduledDelayMs,
    exportTimeoutMillis: settings.exportTimeoutMs + 1_000,
    // The processor reports spans dropped from a full queue through its self-observability meter.
    selfObsMeterProvider: queueDropMeter(api, drops),
  } as SdkTrace.BufferConfig);
  const provider = new sdk.BasicTracerProvider({
    resource: loadResources().resourceFromAttributes({
      ...settings.resourceAttributes,
      'service.name': settings.serviceName,
      'service.version': version,
    }),
    sampler: new sdk.ParentBasedSampler({ root: new sdk.TraceIdRatioBasedSampler(settings.sampleRatio) }),
    spanProcessors: [processor],
  });
  return {
    api,
    tracer: provider.getTracer('switchboard', version),
    propagator: new W3CTraceContextPropagator(),
    get droppedSpans() {
      return drops.count;
    },
    flush: () => provider.forceFlush(),
    shutdown: () => provider.shutdown(),
  };
}

/** A meter that ignores everything but the processor's `queue_full` drops, which it counts. */
function queueDropMeter(api: typeof Api, drops: DropCounter): Api.MeterProvider {
  const noop = api.createNoopMeter();
  const meter: Api.Meter = Object.create(noop);
  meter.createCounter = (name, options) => {
    const counter = noop.createCounter(name, options);
    return {
      add(value, attributes) {
        if (attributes?.['error.type'] === 'queue_full') drops.count += value;
        counter.add(value, attributes);
      },
    };
  };
  return { getMeter: () => meter };
}
