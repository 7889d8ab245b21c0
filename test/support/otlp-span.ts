// A span as the test receiver decodes it from an OTLP export.

/** OTLP span kinds (the API's SpanKind + 1). */
export const OTLP_KIND = { internal: 1, server: 2, client: 3 } as const;
/** OTLP status codes. */
export const OTLP_STATUS = { unset: 0, ok: 1, error: 2 } as const;

export interface ReceivedSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes: Record<string, unknown>;
  events: Array<{ name: string; attributes: Record<string, unknown> }>;
  status: { code: number; message: string };
  resource: Record<string, unknown>;
}
