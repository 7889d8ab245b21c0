// What the tracing tests share: a gateway over simulated providers exporting to a receiver in the test.
import { type Gateway, startGateway } from '../../src/gateway.js';
import { configFor, faultSpecs, onCleanup, startMocks } from '../support/engine.js';
import { type OtlpReceiver, startOtlpReceiver } from '../support/otlp-receiver.js';

export const CALLER_TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
export const CALLER_SPAN_ID = '00f067aa0ba902b7';
export const CALLER_TRACEPARENT = `00-${CALLER_TRACE_ID}-${CALLER_SPAN_ID}-01`;

export async function tracedGateway(options: {
  faults: Record<string, string>;
  otlp?: Record<string, unknown>;
  overrides?: Record<string, unknown>;
  env?: Record<string, string>;
  /** Export to this URL instead of a receiver (a dead collector). */
  endpoint?: string;
}) {
  const { mocks, close } = await startMocks(faultSpecs(options.faults));
  onCleanup(close);
  const receiver: OtlpReceiver = await startOtlpReceiver();
  onCleanup(() => receiver.close());
  const config = configFor(mocks, {
    telemetry: { otlp: { endpoint: options.endpoint ?? receiver.url, ...options.otlp } },
    ...options.overrides,
  });
  const gateway: Gateway = await startGateway(config, { logger: false, port: 0, env: options.env ?? {} });
  onCleanup(() => gateway.close(1_000));
  const tracing = gateway.switchboard.tracing;
  if (!tracing) throw new Error('tracing is off');
  return { gateway, mocks, receiver, tracing };
}

export const chat = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
