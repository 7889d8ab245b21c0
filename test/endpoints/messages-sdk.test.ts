import Anthropic from '@anthropic-ai/sdk';
import { describe, expect, it } from 'vitest';
import { REPLY, sentBody } from '../providers/anthropic-support.js';
import { FACES, type Face, GATEWAY_KEY, startFaces } from './endpoint-faces.js';

const ARGS = '{"text": "Paris"}';

/** Each chain's primary is down (503): `toOpenAI` falls back to an OpenAI-wire model, `toClaude` to simulated Claude. */
async function setup() {
  const faces = await startFaces(
    {
      down: { fault: '503' },
      gpt: {},
      // Its tool call streams the reply as the arguments: a JSON object here.
      gpttool: { toolCall: 'get_weather', reply: ARGS },
      claude: { toolCall: 'get_weather' },
    },
    { routes: { toOpenAI: ['down', 'gpt'], toolsOpenAI: ['down', 'gpttool'], toClaude: ['down', 'claude'] } },
  );
  const anthropic = (face: Face, auth: 'x-api-key' | 'bearer' = 'x-api-key') =>
    new Anthropic({
      baseURL: faces.baseOf(face),
      maxRetries: 0,
      fetch: faces.fetchOf(face),
      ...(auth === 'x-api-key' ? { apiKey: GATEWAY_KEY } : { apiKey: null, authToken: GATEWAY_KEY }),
    });
  return { ...faces, anthropic };
}

const weather = {
  name: 'get_weather',
  description: 'Weather for a city',
  input_schema: { type: 'object' as const, properties: { text: { type: 'string' } } },
};

describe.each(FACES)('POST /v1/messages with @anthropic-ai/sdk (%s)', (face) => {
  it('messages.create, answered by an OpenAI-wire fallback', async () => {
    const { anthropic, count, mocks } = await setup();
    const message = await anthropic(face).messages.create({
      model: 'toOpenAI',
      max_tokens: 100,
      system: 'Be brief.',
      messages: [{ role: 'user', content: 'Hi' }],
    });
    expect(message).toMatchObject({
      type: 'message',
      role: 'assistant',
      stop_reason: 'end_turn',
      content: [{ type: 'text', text: REPLY }],
      usage: { output_tokens: 6 },
    });
    expect(message.id).toMatch(/^msg_/);
    expect(count('down')).toBe(1);
    expect(count('gpt')).toBe(1);
    expect(sentBody(mocks.gpt)).toMatchObject({
      max_tokens: 100,
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hi' },
      ],
    });
  });

  it('the key as Authorization: Bearer works too', async () => {
    const { anthropic, count } = await setup();
    const message = await anthropic(face, 'bearer').messages.create({
      model: 'toOpenAI',
      max_tokens: 10,
      messages: [{ role: 'user', content: 'Hi' }],
    });
    expect(message.content).toEqual([{ type: 'text', text: REPLY }]);
    expect(count('gpt')).toBe(1);
  });

  it('messages.stream: text deltas, final message and usage', async () => {
    const { anthropic, count } = await setup();
    const stream = anthropic(face).messages.stream({
      model: 'toOpenAI',
      max_tokens: 100,
      messages: [{ role: 'user', content: 'Hi' }],
    });
    const deltas: string[] = [];
    stream.on('text', (text) => deltas.push(text));
    const final = await stream.finalMessage();
    expect(deltas.join('')).toBe(REPLY);
    expect(deltas.length).toBeGreaterThan(1);
    expect(final).toMatchObject({
      stop_reason: 'end_turn',
      content: [{ type: 'text', text: REPLY }],
      usage: { output_tokens: 6 },
    });
    expect(final.usage.input_tokens).toBeGreaterThan(0);
    expect(count('gpt')).toBe(1);
  });

  it('a tool use (streamed, from the OpenAI-wire fallback) and its result answered', async () => {
    const { anthropic, count, mocks } = await setup();
    const params = {
      model: 'toolsOpenAI',
      max_tokens: 100,
      tools: [weather],
      messages: [{ role: 'user' as const, content: 'Weather?' }],
    };
    const streamed = await anthropic(face).messages.stream(params).finalMessage();
    expect(streamed.stop_reason).toBe('tool_use');
    const use = streamed.content[0];
    expect(use).toMatchObject({ type: 'tool_use', name: 'get_weather', input: { text: 'Paris' } });
    const id = (use as { id: string }).id;
    const answer = await anthropic(face).messages.create({
      ...params,
      tools: [],
      messages: [
        ...params.messages,
        { role: 'assistant', content: streamed.content },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: id, content: 'sunny' }] },
      ],
    });
    expect(answer.content).toEqual([{ type: 'text', text: ARGS }]);
    expect(count('gpttool')).toBe(2);
    expect(sentBody(mocks.gpttool, 1).messages).toEqual([
      { role: 'user', content: 'Weather?' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          {
            id,
            type: 'function',
            function: { name: 'get_weather', arguments: JSON.stringify({ text: 'Paris' }) },
          },
        ],
      },
      { role: 'tool', tool_call_id: id, content: 'sunny' },
    ]);
  });

  it('a tool use from simulated Claude, JSON: the caller body reaches it intact', async () => {
    const { anthropic, count, mocks } = await setup();
    const message = await anthropic(face).messages.create(
      {
        model: 'toClaude',
        max_tokens: 100,
        system: [{ type: 'text', text: 'Be brief.', cache_control: { type: 'ephemeral' } }],
        tools: [weather],
        messages: [{ role: 'user', content: 'Weather?' }],
      },
      { headers: { 'anthropic-beta': 'prompt-caching-2024-07-31' } },
    );
    expect(message).toMatchObject({
      stop_reason: 'tool_use',
      content: [{ type: 'tool_use', name: 'get_weather', input: { text: REPLY } }],
    });
    expect(count('claude')).toBe(1);
    expect(sentBody(mocks.claude)).toEqual({
      model: 'claude-sonnet-4-5',
      max_tokens: 100,
      system: [{ type: 'text', text: 'Be brief.', cache_control: { type: 'ephemeral' } }],
      tools: [weather],
      messages: [{ role: 'user', content: 'Weather?' }],
    });
  });
});
