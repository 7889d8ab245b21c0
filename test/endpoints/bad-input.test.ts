import { describe, expect, it } from 'vitest';
import { FACES, GATEWAY_KEY, startFaces } from './endpoint-faces.js';

const json = { 'content-type': 'application/json' };
const bearer = { ...json, authorization: `Bearer ${GATEWAY_KEY}` };
const xApiKey = { ...json, 'x-api-key': GATEWAY_KEY, 'anthropic-version': '2023-06-01' };
const hi = { model: 'main', input: 'Hi' };
const claudeHi = { model: 'main', max_tokens: 10, messages: [{ role: 'user', content: 'Hi' }] };

interface Case {
  name: string;
  body: unknown;
  headers?: Record<string, string>;
  status: number;
  /** OpenAI shape: the code; Anthropic shape: the error type. */
  code: string;
  param?: string;
  /** A word the message must contain (the field it names). */
  names?: string;
}

const RESPONSES: Case[] = [
  { name: 'malformed JSON', body: '{"model":', status: 400, code: 'invalid_json' },
  { name: 'a body that is not an object', body: '[1]', status: 400, code: 'invalid_request' },
  {
    name: 'input of the wrong type',
    body: { ...hi, input: 42 },
    status: 400,
    code: 'invalid_request',
    param: 'input',
  },
  {
    name: 'temperature of the wrong type',
    body: { ...hi, temperature: 'hot' },
    status: 400,
    code: 'invalid_request',
    param: 'temperature',
  },
  {
    name: 'stream of the wrong type',
    body: { ...hi, stream: 'yes' },
    status: 400,
    code: 'invalid_request',
    param: 'stream',
  },
  {
    name: 'previous_response_id',
    body: { ...hi, previous_response_id: 'resp_1' },
    status: 400,
    code: 'unsupported_field',
    param: 'previous_response_id',
    names: 'stateless',
  },
  {
    name: 'store: true',
    body: { ...hi, store: true },
    status: 400,
    code: 'unsupported_field',
    param: 'store',
  },
  {
    name: 'background',
    body: { ...hi, background: true },
    status: 400,
    code: 'unsupported_field',
    param: 'background',
  },
  {
    name: 'a built-in tool',
    body: { ...hi, tools: [{ type: 'web_search' }] },
    status: 400,
    code: 'unsupported_field',
    param: 'tools[0].type',
    names: 'web_search',
  },
  {
    name: 'an item_reference',
    body: { ...hi, input: [{ type: 'item_reference', id: 'msg_1' }] },
    status: 400,
    code: 'unsupported_field',
    param: 'input[0].type',
    names: 'item_reference',
  },
  {
    name: 'an input_file part',
    body: { ...hi, input: [{ role: 'user', content: [{ type: 'input_file', file_id: 'f' }] }] },
    status: 400,
    code: 'unsupported_field',
    param: 'input[0].content[0].type',
  },
  {
    name: 'an unknown field',
    body: { ...hi, reasoning: { effort: 'high' } },
    status: 400,
    code: 'unsupported_field',
    param: 'reasoning',
  },
  { name: 'an unknown route', body: { ...hi, model: 'nope' }, status: 404, code: 'model_not_found' },
  { name: 'a missing key', body: hi, headers: json, status: 401, code: 'invalid_api_key' },
  {
    name: 'the key as x-api-key (not this endpoint)',
    body: hi,
    headers: { ...json, 'x-api-key': GATEWAY_KEY },
    status: 401,
    code: 'invalid_api_key',
  },
];

const MESSAGES: Case[] = [
  { name: 'malformed JSON', body: '{"model":', status: 400, code: 'invalid_request_error' },
  { name: 'an empty body', body: '', status: 400, code: 'invalid_request_error' },
  {
    name: 'max_tokens missing',
    body: { ...claudeHi, max_tokens: undefined },
    status: 400,
    code: 'invalid_request_error',
    names: 'max_tokens',
  },
  {
    name: 'messages of the wrong type',
    body: { ...claudeHi, messages: 'hi' },
    status: 400,
    code: 'invalid_request_error',
    names: 'messages',
  },
  {
    name: 'a system role in messages',
    body: { ...claudeHi, messages: [{ role: 'system', content: 'x' }] },
    status: 400,
    code: 'invalid_request_error',
    names: 'messages[0].role',
  },
  {
    name: 'temperature out of range',
    body: { ...claudeHi, temperature: 1.5 },
    status: 400,
    code: 'invalid_request_error',
    names: 'temperature',
  },
  {
    name: 'an unknown field',
    body: { ...claudeHi, frequency_penalty: 1 },
    status: 400,
    code: 'invalid_request_error',
    names: 'frequency_penalty',
  },
  { name: 'an unknown route', body: { ...claudeHi, model: 'nope' }, status: 404, code: 'not_found_error' },
  { name: 'a missing key', body: claudeHi, headers: json, status: 401, code: 'authentication_error' },
  {
    name: 'a wrong x-api-key',
    body: claudeHi,
    headers: { ...xApiKey, 'x-api-key': 'nope' },
    status: 401,
    code: 'authentication_error',
  },
];

describe.each(FACES)('bad input on %s: the endpoint error shape, no upstream call', (face) => {
  async function send(path: string, c: Case, headers: Record<string, string>) {
    const faces = await startFaces({ a: {}, claude: {} });
    const response = await faces.fetchOf(face)(`${faces.baseOf(face)}${path}`, {
      method: 'POST',
      headers: c.headers ?? headers,
      body: typeof c.body === 'string' ? c.body : JSON.stringify(c.body),
    });
    return {
      response,
      body: (await response.json()) as { error: { code: string; param: string | null; message: string } },
      calls: faces.count('a') + faces.count('claude'),
    };
  }

  it.each(RESPONSES)('POST /v1/responses: $name', async (c) => {
    const { response, body, calls } = await send('/v1/responses', c, bearer);
    expect(response.status).toBe(c.status);
    expect(body.error.code).toBe(c.code);
    if (c.param) expect(body.error.param).toBe(c.param);
    if (c.names) expect(body.error.message).toContain(c.names);
    expect(calls).toBe(0);
  });

  it.each(MESSAGES)('POST /v1/messages: $name', async (c) => {
    const { response, body, calls } = await send('/v1/messages', c, xApiKey);
    expect(response.status).toBe(c.status);
    expect(body).toEqual({ type: 'error', error: { type: c.code, message: expect.any(String) } });
    if (c.names) expect(body.error.message).toContain(c.names);
    expect(calls).toBe(0);
  });

  it('an oversize body is a 413 in each endpoint shape', async () => {
    const faces = await startFaces({ a: {} }, { server: { api_keys: [GATEWAY_KEY], max_body_bytes: 2048 } });
    const pad = 'x'.repeat(4096);
    const send = (path: string, headers: Record<string, string>, body: object) =>
      faces.fetchOf(face)(`${faces.baseOf(face)}${path}`, {
        method: 'POST',
        headers,
        body: JSON.stringify(body),
      });
    const messages = await send('/v1/messages', xApiKey, { ...claudeHi, system: pad });
    expect(messages.status).toBe(413);
    expect(await messages.json()).toMatchObject({ type: 'error', error: { type: 'request_too_large' } });
    const responses = await send('/v1/responses', bearer, { ...hi, instructions: pad });
    expect(responses.status).toBe(413);
    expect(await responses.json()).toMatchObject({ error: { code: 'request_too_large' } });
    expect(faces.count('a')).toBe(0);
  });

  it('GET /v1/messages is a 405 in Anthropic shape', async () => {
    const faces = await startFaces({ a: {} });
    const response = await faces.fetchOf(face)(`${faces.baseOf(face)}/v1/messages`, { headers: xApiKey });
    expect(response.status).toBe(405);
    expect(await response.json()).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } });
  });

  it('count_tokens: an estimate that says so, without a key a 401 in Anthropic shape', async () => {
    const faces = await startFaces({ a: {} });
    const url = `${faces.baseOf(face)}/v1/messages/count_tokens`;
    const body = JSON.stringify({
      model: 'main',
      messages: [{ role: 'user', content: 'Hello there, how are you?' }],
    });
    const counted = await faces.fetchOf(face)(url, { method: 'POST', headers: xApiKey, body });
    expect(counted.status).toBe(200);
    const answer = (await counted.json()) as { input_tokens: number; switchboard: unknown };
    expect(answer.input_tokens).toBeGreaterThan(5);
    expect(answer.switchboard).toEqual({ estimate: true, method: 'characters / 4' });
    const refused = await faces.fetchOf(face)(url, { method: 'POST', headers: json, body });
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({ type: 'error', error: { type: 'authentication_error' } });
    expect(faces.count('a')).toBe(0);
  });
});
