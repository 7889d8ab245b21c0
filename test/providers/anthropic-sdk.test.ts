import Anthropic from '@anthropic-ai/sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { type MockProvider, startMockProvider } from '../../src/mock/index.js';
import type { MockProviderOptions } from '../../src/mock/types.js';

/** The vendor's own client against the simulated Claude: whatever it sends, the SDK must accept. */
let mock: MockProvider | undefined;
afterEach(async () => {
  await mock?.close();
  mock = undefined;
});

async function client(options: MockProviderOptions = {}) {
  mock = await startMockProvider({
    protocol: 'anthropic',
    name: 'claude-sim',
    reply: 'Hello from Claude.',
    ...options,
  });
  return new Anthropic({ baseURL: mock.baseUrl, apiKey: 'sk-ant-test', maxRetries: 0 });
}

const weather = {
  name: 'get_weather',
  description: 'Weather for a city',
  input_schema: { type: 'object' as const, properties: { text: { type: 'string' } } },
};

describe('@anthropic-ai/sdk against the simulated Claude', () => {
  it('messages.create', async () => {
    const anthropic = await client({ cacheReadTokens: 40, cacheWriteTokens: 8 });
    const message = await anthropic.messages.create({
      model: 'claude-sonnet-4-5',
      max_tokens: 100,
      system: 'Be brief.',
      messages: [{ role: 'user', content: 'Hi' }],
    });
    expect(message).toMatchObject({
      type: 'message',
      role: 'assistant',
      model: 'claude-sonnet-4-5',
      stop_reason: 'end_turn',
      content: [{ type: 'text', text: 'Hello from Claude.' }],
      usage: { cache_read_input_tokens: 40, cache_creation_input_tokens: 8, output_tokens: 3 },
    });
    expect(message.id).toMatch(/^msg_/);
    expect(mock?.stats().log[0]?.body).toMatchObject({ system: 'Be brief.', max_tokens: 100 });
  });

  it('messages.stream: text deltas, final message and usage', async () => {
    const anthropic = await client();
    const stream = anthropic.messages.stream({
      model: 'claude-sonnet-4-5',
      max_tokens: 100,
      messages: [{ role: 'user', content: 'Hi' }],
    });
    const deltas: string[] = [];
    stream.on('text', (text) => deltas.push(text));
    const final = await stream.finalMessage();
    expect(deltas).toEqual(['Hello ', 'from ', 'Claude.']);
    expect(final).toMatchObject({
      stop_reason: 'end_turn',
      content: [{ type: 'text', text: 'Hello from Claude.' }],
      usage: { output_tokens: 3 },
    });
  });

  it('a tool use, JSON and streamed, and the tool result answered', async () => {
    const anthropic = await client({ toolCall: 'get_weather' });
    const params = {
      model: 'claude-sonnet-4-5',
      max_tokens: 100,
      tools: [weather],
      messages: [{ role: 'user' as const, content: 'Weather?' }],
    };
    const message = await anthropic.messages.create(params);
    expect(message.stop_reason).toBe('tool_use');
    const use = message.content[0];
    expect(use).toMatchObject({
      type: 'tool_use',
      name: 'get_weather',
      input: { text: 'Hello from Claude.' },
    });

    const streamed = await anthropic.messages.stream(params).finalMessage();
    expect(streamed.content[0]).toMatchObject({ type: 'tool_use', input: { text: 'Hello from Claude.' } });

    const id = (use as { id: string }).id;
    const answer = await anthropic.messages.create({
      ...params,
      messages: [
        ...params.messages,
        { role: 'assistant', content: message.content },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: id, content: 'sunny' }] },
      ],
    });
    expect(answer).toMatchObject({
      stop_reason: 'end_turn',
      content: [{ type: 'text', text: 'Hello from Claude.' }],
    });
  });

  it('an overloaded_error event mid-stream reaches the SDK as an error after the first text', async () => {
    const anthropic = await client({ fault: 'overloaded-mid-stream:1' });
    const stream = anthropic.messages.stream({
      model: 'claude-sonnet-4-5',
      max_tokens: 100,
      messages: [{ role: 'user', content: 'Hi' }],
    });
    const deltas: string[] = [];
    stream.on('text', (text) => deltas.push(text));
    await expect(stream.finalMessage()).rejects.toThrow(/overloaded_error|Overloaded/);
    expect(deltas).toEqual(['Hello ']);
  });

  it.each([
    ['529', Anthropic.InternalServerError, 529, 'overloaded_error'],
    ['500', Anthropic.InternalServerError, 500, 'api_error'],
    ['429:3', Anthropic.RateLimitError, 429, 'rate_limit_error'],
    ['context-length', Anthropic.BadRequestError, 400, 'invalid_request_error'],
  ])('fault %s is the SDK error class it maps the status to', async (fault, kind, status, type) => {
    const anthropic = await client({ fault });
    const error = await anthropic.messages
      .create({ model: 'claude-sonnet-4-5', max_tokens: 10, messages: [{ role: 'user', content: 'Hi' }] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(kind);
    expect(error).toMatchObject({ status, error: { type: 'error', error: { type } } });
    expect((error as { requestID?: string }).requestID).toMatch(/^req_/);
  });

  it('a wrong x-api-key is an AuthenticationError', async () => {
    mock = await startMockProvider({ protocol: 'anthropic', apiKey: 'right-key' });
    const anthropic = new Anthropic({ baseURL: mock.baseUrl, apiKey: 'wrong-key', maxRetries: 0 });
    const error = await anthropic.messages
      .create({ model: 'claude-sonnet-4-5', max_tokens: 10, messages: [{ role: 'user', content: 'Hi' }] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.AuthenticationError);
  });
});
