/** What the engine carries for tracing, without knowing anything of OpenTelemetry. */

export type TraceHeaders = (requestId: string, model: string) => Readonly<Record<string, string>> | undefined;

/** The caller's W3C trace context, to continue its trace. */
export interface TraceParent {
  traceparent: string;
  tracestate?: string;
}

/** What the caller asked for, as the GenAI conventions name it; `chat` unless an endpoint says otherwise. */
export type Operation = 'chat' | 'responses' | 'embeddings' | 'messages' | (string & {});
