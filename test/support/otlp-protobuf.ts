// A small decoder of the OTLP/protobuf trace export (opentelemetry-proto trace/v1/trace.proto,
// common/v1/common.proto), enough for tests to read what the exporter sends. Field numbers are the spec's.
import type { ReceivedSpan } from './otlp-span.js';

type Field = { no: number; wire: number; value: bigint | Uint8Array };

function fields(buf: Uint8Array): Field[] {
  const out: Field[] = [];
  let i = 0;
  const varint = (): bigint => {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      const byte = buf[i++] as number;
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return result;
      shift += 7n;
    }
  };
  while (i < buf.length) {
    const key = Number(varint());
    const no = key >> 3;
    const wire = key & 7;
    if (wire === 0) out.push({ no, wire, value: varint() });
    else if (wire === 1) {
      out.push({ no, wire, value: new DataView(buf.buffer, buf.byteOffset + i, 8).getBigUint64(0, true) });
      i += 8;
    } else if (wire === 2) {
      const length = Number(varint());
      out.push({ no, wire, value: buf.subarray(i, i + length) });
      i += length;
    } else if (wire === 5) i += 4;
    else throw new Error(`unexpected wire type ${wire}`);
  }
  return out;
}

const bytes = (f: Field) => f.value as Uint8Array;
const text = (f: Field) => new TextDecoder().decode(bytes(f));
const hex = (f: Field) => Buffer.from(bytes(f)).toString('hex');

function anyValue(buf: Uint8Array): unknown {
  const [f] = fields(buf);
  if (!f) return undefined;
  switch (f.no) {
    case 1:
      return text(f);
    case 2:
      return f.value === 1n;
    case 3:
      return Number(BigInt.asIntN(64, f.value as bigint));
    case 4: {
      const view = new DataView(new ArrayBuffer(8));
      view.setBigUint64(0, f.value as bigint, true);
      return view.getFloat64(0, true);
    }
    case 5: // ArrayValue { repeated AnyValue values = 1 }
      return fields(bytes(f)).map((v) => anyValue(bytes(v)));
    default:
      return undefined;
  }
}

function attributes(list: Field[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const kv of list) {
    const parts = fields(bytes(kv));
    const key = parts.find((p) => p.no === 1);
    const value = parts.find((p) => p.no === 2);
    if (key) out[text(key)] = value ? anyValue(bytes(value)) : undefined;
  }
  return out;
}

function span(buf: Uint8Array): ReceivedSpan {
  const parts = fields(buf);
  const one = (no: number) => parts.find((p) => p.no === no);
  const status = one(15) ? fields(bytes(one(15) as Field)) : [];
  const parent = one(4);
  return {
    traceId: hex(one(1) as Field),
    spanId: hex(one(2) as Field),
    ...(parent && bytes(parent).length > 0 ? { parentSpanId: hex(parent) } : {}),
    name: text(one(5) as Field),
    kind: Number(one(6)?.value ?? 0),
    attributes: attributes(parts.filter((p) => p.no === 9)),
    events: parts
      .filter((p) => p.no === 11)
      .map((e) => {
        const ev = fields(bytes(e));
        return {
          name: text(ev.find((p) => p.no === 2) as Field),
          attributes: attributes(ev.filter((p) => p.no === 3)),
        };
      }),
    status: {
      code: Number(status.find((p) => p.no === 3)?.value ?? 0),
      message: status.find((p) => p.no === 2) ? text(status.find((p) => p.no === 2) as Field) : '',
    },
    resource: {},
  };
}

/** ExportTraceServiceRequest → spans (with their resource's attributes). */
export function decodeTraceRequest(buf: Uint8Array): ReceivedSpan[] {
  const spans: ReceivedSpan[] = [];
  for (const rs of fields(buf).filter((f) => f.no === 1)) {
    const rsParts = fields(bytes(rs));
    const resourceField = rsParts.find((p) => p.no === 1);
    const resource = resourceField ? attributes(fields(bytes(resourceField)).filter((p) => p.no === 1)) : {};
    for (const ss of rsParts.filter((p) => p.no === 2)) {
      for (const s of fields(bytes(ss)).filter((p) => p.no === 2))
        spans.push({ ...span(bytes(s)), resource });
    }
  }
  return spans;
}
