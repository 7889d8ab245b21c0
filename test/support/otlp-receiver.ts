// An OTLP/HTTP trace receiver for tests: a node:http server on 127.0.0.1 that decodes what an
// exporter sends (http/json or http/protobuf) into plain spans. Kept free of vitest.
import { createServer, type IncomingMessage } from 'node:http';
import { decodeTraceRequest } from './otlp-protobuf.js';
import type { ReceivedSpan } from './otlp-span.js';

export { OTLP_KIND, OTLP_STATUS, type ReceivedSpan } from './otlp-span.js';

export interface OtlpReceiver {
  /** Base URL, e.g. http://127.0.0.1:4318 (exports go to /v1/traces). */
  url: string;
  spans: ReceivedSpan[];
  /** Every export request: its path, content type and headers. */
  requests: Array<{ path: string; contentType: string; headers: IncomingMessage['headers'] }>;
  close(): Promise<void>;
}

export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const spans: ReceivedSpan[] = [];
  const requests: OtlpReceiver['requests'] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const contentType = String(req.headers['content-type'] ?? '');
      requests.push({ path: req.url ?? '', contentType, headers: req.headers });
      if (contentType.includes('json')) {
        spans.push(...decodeJson(JSON.parse(body.toString('utf8'))));
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      } else {
        spans.push(...decodeTraceRequest(new Uint8Array(body)));
        res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    spans,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

type JsonAny = {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: number | string;
  doubleValue?: number;
  arrayValue?: { values?: JsonAny[] };
};
type JsonKeyValue = { key: string; value: JsonAny };

function jsonValue(v: JsonAny): unknown {
  if (v.stringValue !== undefined) return v.stringValue;
  if (v.boolValue !== undefined) return v.boolValue;
  if (v.intValue !== undefined) return Number(v.intValue);
  if (v.doubleValue !== undefined) return v.doubleValue;
  if (v.arrayValue !== undefined) return (v.arrayValue.values ?? []).map(jsonValue);
  return undefined;
}

const jsonAttributes = (list: JsonKeyValue[] | undefined) =>
  Object.fromEntries((list ?? []).map((kv) => [kv.key, jsonValue(kv.value)]));

// biome-ignore lint/suspicious/noExplicitAny: the OTLP/JSON document as parsed
function decodeJson(doc: any): ReceivedSpan[] {
  const spans: ReceivedSpan[] = [];
  for (const rs of doc.resourceSpans ?? []) {
    const resource = jsonAttributes(rs.resource?.attributes);
    for (const ss of rs.scopeSpans ?? []) {
      for (const s of ss.spans ?? []) {
        spans.push({
          traceId: s.traceId,
          spanId: s.spanId,
          ...(s.parentSpanId ? { parentSpanId: s.parentSpanId } : {}),
          name: s.name,
          kind: Number(s.kind ?? 0),
          attributes: jsonAttributes(s.attributes),
          events: (s.events ?? []).map((e: { name: string; attributes?: JsonKeyValue[] }) => ({
            name: e.name,
            attributes: jsonAttributes(e.attributes),
          })),
          status: { code: Number(s.status?.code ?? 0), message: s.status?.message ?? '' },
          resource,
        });
      }
    }
  }
  return spans;
}
