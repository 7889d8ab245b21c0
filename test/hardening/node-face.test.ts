import { connect } from 'node:net';
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { startGateway } from '../../src/gateway.js';
import { configFor, hello, onCleanup, startMocks } from '../support/engine.js';

const LIMIT = 64 * 1024;

async function gateway() {
  const { mocks, close } = await startMocks({ a: {} });
  onCleanup(close);
  const gw = await startGateway(configFor(mocks, { server: { max_body_bytes: LIMIT } }), {
    logger: false,
    port: 0,
  });
  onCleanup(() => gw.close(1_000));
  return { gw, upstreamCalls: () => mocks.a!.stats().requests };
}

/** Sends raw bytes on a fresh connection and returns everything the gateway answered. */
function raw(url: string, bytes: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port) });
    let answer = '';
    socket.on('data', (d) => {
      answer += d;
    });
    socket.on('end', () => resolve(answer));
    socket.on('error', reject);
    socket.write(bytes);
  });
}

const jsonOf = (answer: string) => JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4));

describe('the Node face: answers clients can read', () => {
  it('an oversize body gets its 413 every time, even while the client is still sending (a lingering close)', async () => {
    const { gw, upstreamCalls } = await gateway();
    const body = JSON.stringify(hello('main', { pad: 'x'.repeat(2 * 1024 * 1024) })); // 2 MiB, 32× the limit
    for (let i = 0; i < 20; i++) {
      const response = await fetch(`${gw.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      expect(response.status).toBe(413);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('request_too_large');
    }
    expect(upstreamCalls()).toBe(0);
  });

  it('the openai SDK gets a 413 error, never a connection error it would retry', async () => {
    const { gw, upstreamCalls } = await gateway();
    const client = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: 'unused', maxRetries: 0 });
    for (let i = 0; i < 10; i++) {
      const error = await client.chat.completions
        .create({ model: 'main', messages: [{ role: 'user', content: 'x'.repeat(1024 * 1024) }] })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OpenAI.APIError);
      expect(error).not.toBeInstanceOf(OpenAI.APIConnectionError);
      expect((error as InstanceType<typeof OpenAI.APIError>).status).toBe(413);
    }
    expect(upstreamCalls()).toBe(0);
  });

  it('an absolute-form request target is refused with a 400 in the OpenAI shape', async () => {
    const { gw, upstreamCalls } = await gateway();
    const answer = await raw(
      gw.url,
      `GET http://evil.example/v1/models HTTP/1.1\r\nhost: evil.example\r\nconnection: close\r\n\r\n`,
    );
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    expect(jsonOf(answer).error.code).toBe('invalid_request_target');
    expect(upstreamCalls()).toBe(0);
  });

  it('what Node refuses itself (bad syntax, huge headers) is answered in the OpenAI shape', async () => {
    const { gw } = await gateway();
    const bad = await raw(gw.url, 'THIS IS NOT HTTP\r\n\r\n');
    expect(bad).toMatch(/^HTTP\/1\.1 400 /);
    expect(jsonOf(bad).error).toMatchObject({ type: 'invalid_request_error', code: 'bad_request' });
    const huge = await raw(
      gw.url,
      `GET /healthz HTTP/1.1\r\nhost: x\r\nx-big: ${'a'.repeat(64 * 1024)}\r\n\r\n`,
    );
    expect(huge).toMatch(/^HTTP\/1\.1 431 /);
    expect(jsonOf(huge).error.code).toBe('headers_too_large');
  });
});
