import { createOpenAI } from '@ai-sdk/openai';
import { generateText, jsonSchema, streamText, tool } from 'ai';
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { REPLY, sentBody } from '../providers/anthropic-support.js';
import { FACES, GATEWAY_KEY, startFaces } from './endpoint-faces.js';

/** Each chain's primary is down (503), so every answer below is a fallback. */
async function setup() {
  const faces = await startFaces(
    { down: { fault: '503' }, b: {}, claude: { toolCall: 'get_weather' } },
    {
      routes: { main: ['down', 'b'], claudeish: ['down', 'claude'] },
    },
  );
  const openai = (face: 'gateway' | 'fetch') =>
    new OpenAI({
      baseURL: `${faces.baseOf(face)}/v1`,
      apiKey: GATEWAY_KEY,
      maxRetries: 0,
      fetch: faces.fetchOf(face),
    });
  return { ...faces, openai };
}

const weather = {
  type: 'function' as const,
  name: 'get_weather',
  description: 'Weather for a city',
  parameters: {
    type: 'object',
    properties: { text: { type: 'string' } },
    required: ['text'],
    additionalProperties: false,
  },
  strict: false,
};

describe.each(FACES)('POST /v1/responses with the openai SDK (%s)', (face) => {
  it('responses.create: JSON, answered by the fallback', async () => {
    const { openai, count, mocks } = await setup();
    const response = await openai(face).responses.create({
      model: 'main',
      instructions: 'Be brief.',
      input: [{ role: 'user', content: [{ type: 'input_text', text: 'Hi' }] }],
      max_output_tokens: 50,
      metadata: { ticket: 't-1' },
    });
    expect(response.object).toBe('response');
    expect(response.status).toBe('completed');
    expect(response.output_text).toBe(REPLY);
    expect(response.metadata).toEqual({ ticket: 't-1' });
    expect(response.usage?.input_tokens).toBeGreaterThan(0);
    expect(response.usage?.output_tokens).toBeGreaterThan(0);
    expect(count('down')).toBe(1);
    expect(count('b')).toBe(1);
    expect(sentBody(mocks.b)).toMatchObject({
      model: 'b',
      max_tokens: 50,
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: [{ type: 'text', text: 'Hi' }] },
      ],
    });
    expect(sentBody(mocks.b).metadata).toBeUndefined();
  });

  it('responses.create stream: the event sequence, text deltas, usage on response.completed', async () => {
    const { openai, count } = await setup();
    const stream = await openai(face).responses.create({ model: 'main', input: 'Hi', stream: true });
    const events: Array<{ type: string; sequence_number: number }> = [];
    let text = '';
    let usage: unknown;
    for await (const event of stream) {
      events.push(event);
      if (event.type === 'response.output_text.delta') text += event.delta;
      if (event.type === 'response.completed') usage = event.response.usage;
    }
    expect(text).toBe(REPLY);
    expect(events.map((e) => e.sequence_number)).toEqual(events.map((_, i) => i));
    const types = [...new Set(events.map((e) => e.type))];
    expect(types).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
      'response.output_text.delta',
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed',
    ]);
    expect(usage).toMatchObject({ input_tokens: expect.any(Number), output_tokens: 6 });
    expect(count('b')).toBe(1);
  });

  it('a function call and its output round-tripped, through simulated Claude', async () => {
    const { openai, count, mocks } = await setup();
    const first = await openai(face).responses.create({
      model: 'claudeish',
      input: 'Weather in Paris?',
      tools: [weather],
      tool_choice: 'auto',
    });
    const call = first.output.find((o) => o.type === 'function_call');
    expect(call).toMatchObject({
      type: 'function_call',
      name: 'get_weather',
      arguments: JSON.stringify({ text: REPLY }),
    });
    if (call?.type !== 'function_call') throw new Error('no call');
    const second = await openai(face).responses.create({
      model: 'claudeish',
      input: [
        { role: 'user', content: 'Weather in Paris?' },
        { type: 'function_call', call_id: call.call_id, name: call.name, arguments: call.arguments },
        { type: 'function_call_output', call_id: call.call_id, output: 'sunny' },
      ],
      tools: [weather],
    });
    expect(second.output_text).toBe(REPLY);
    expect(count('claude')).toBe(2);
    expect(count('down')).toBe(2);
    // The simulated Claude checks that each tool_result answers a tool_use of the turn before.
    expect(sentBody(mocks.claude, 1).messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'Weather in Paris?' }] },
      {
        role: 'assistant',
        content: [{ type: 'tool_use', id: call.call_id, name: 'get_weather', input: { text: REPLY } }],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: call.call_id, content: [{ type: 'text', text: 'sunny' }] },
        ],
      },
    ]);
  });

  it('a streamed function call: output_item.added, arguments deltas, done', async () => {
    const { openai } = await setup();
    const stream = await openai(face).responses.create({
      model: 'claudeish',
      input: 'Weather?',
      tools: [weather],
      stream: true,
    });
    let args = '';
    let done: unknown;
    for await (const event of stream) {
      if (event.type === 'response.function_call_arguments.delta') args += event.delta;
      if (event.type === 'response.output_item.done') done = event.item;
    }
    expect(JSON.parse(args)).toEqual({ text: REPLY });
    expect(done).toMatchObject({
      type: 'function_call',
      name: 'get_weather',
      arguments: args,
      status: 'completed',
    });
  });
});

describe.each(FACES)('POST /v1/responses with the Vercel AI SDK (%s)', (face) => {
  const model = (faces: Awaited<ReturnType<typeof setup>>) =>
    createOpenAI({ baseURL: `${faces.baseOf(face)}/v1`, apiKey: GATEWAY_KEY, fetch: faces.fetchOf(face) })(
      'main',
    );

  it('generateText on the default (Responses) model', async () => {
    const faces = await setup();
    const result = await generateText({ model: model(faces), prompt: 'Hi', maxRetries: 0 });
    expect(result.text).toBe(REPLY);
    expect(result.finishReason).toBe('stop');
    expect(result.usage.outputTokens).toBe(6);
    expect(faces.count('b')).toBe(1);
  });

  it('streamText on the default (Responses) model', async () => {
    const faces = await setup();
    const result = streamText({ model: model(faces), prompt: 'Hi', maxRetries: 0 });
    let text = '';
    for await (const delta of result.textStream) text += delta;
    expect(text).toBe(REPLY);
    expect(await result.finishReason).toBe('stop');
    expect((await result.usage).outputTokens).toBe(6);
    expect(faces.count('down')).toBe(1);
    expect(faces.count('b')).toBe(1);
  });

  it('a tool call with generateText (stateless: store false)', async () => {
    const faces = await setup();
    const claude = createOpenAI({
      baseURL: `${faces.baseOf(face)}/v1`,
      apiKey: GATEWAY_KEY,
      fetch: faces.fetchOf(face),
    })('claudeish');
    const result = await generateText({
      model: claude,
      prompt: 'Weather?',
      maxRetries: 0,
      tools: {
        get_weather: tool({
          description: 'Weather for a city',
          inputSchema: jsonSchema<{ text: string }>({
            type: 'object',
            properties: { text: { type: 'string' } },
          }),
        }),
      },
      providerOptions: { openai: { store: false } },
    });
    expect(result.toolCalls).toMatchObject([{ toolName: 'get_weather', input: { text: REPLY } }]);
    expect(faces.count('claude')).toBe(1);
  });
});
