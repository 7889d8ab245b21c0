import type { ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';

export interface DropCounter {
  count: number;
}

const SUCCESS = 0; // ExportResultCode.SUCCESS

/** The exporter, counting the spans of every batch it could not deliver (collector down, refused, timed out). */
export function countDroppedSpans(inner: SpanExporter, drops: DropCounter): SpanExporter {
  return {
    export(spans: ReadableSpan[], done: (result: ExportResult) => void) {
      inner.export(spans, (result) => {
        if (result.code !== SUCCESS) drops.count += spans.length;
        done(result);
      });
    },
    shutdown: () => inner.shutdown(),
    ...(inner.forceFlush ? { forceFlush: () => (inner.forceFlush as () => Promise<void>)() } : {}),
  };
}
