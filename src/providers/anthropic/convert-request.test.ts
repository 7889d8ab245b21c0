import { describe, expect, it } from 'vitest';
import type { ChatRequestBody } from '../types.js';
import { convertRequest, DEFAULT_MAX_TOKENS } from './convert-request.js';

const convert = (
  body: Partial<ChatRequestBody>,
  extra: { maxOutputTokens?: number; stream?: boolean } = {},
) =>
  convertRequest({
    body: { messages: [{ role: 'user', content: 'Hi' }], ...body } as ChatRequestBody,
    upstreamModel: 'claude-sonnet-4-5',
    stream: extra.stream ?? false,
    ...(extra.maxOutputTokens !== undefined ? { maxOutputTokens: extra.maxOutputTokens } : {}),
  });

function ok(body: Partial<ChatRequestBody>, extra?: { maxOutputTokens?: number; stream?: boolean }) {
  const result = convert(body, extra);
  if (!result.ok) throw new Error(result.problem);
  return result;
}

describe('convertRequest: messages', () => {
  it('moves system and developer messages to the top-level system, wherever they stand', () => {
    const { body } = ok({
      model: 'route-name',
      models: ['a', 'b'],
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hi' },
        { role: 'developer', content: [{ type: 'text', text: 'Use French.' }] },
        { role: 'assistant', content: 'Salut' },
      ],
    });
    expect(body).toEqual({
      model: 'claude-sonnet-4-5',
      max_tokens: DEFAULT_MAX_TOKENS,
      system: [
        { type: 'text', text: 'Be brief.' },
        { type: 'text', text: 'Use French.' },
      ],
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'Hi' }] },
        { role: 'assistant', content: [{ type: 'text', text: 'Salut' }] },
      ],
    });
  });

  it('merges consecutive turns of one role and leaves out empty ones', () => {
    const { body } = ok({
      messages: [
        { role: 'user', content: 'one' },
        { role: 'user', content: [{ type: 'text', text: 'two' }] },
        { role: 'assistant', content: '' },
        { role: 'user', content: 'three' },
      ],
    });
    expect(body.messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'one' },
          { type: 'text', text: 'two' },
          { type: 'text', text: 'three' },
        ],
      },
    ]);
  });

  it('turns images into base64 and url sources, and keeps cache_control', () => {
    const { body } = ok({
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Compare', cache_control: { type: 'ephemeral' } },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
            { type: 'image_url', image_url: { url: 'https://example.com/cat.jpg', detail: 'high' } },
          ],
        },
      ],
    });
    expect(body.messages[0]?.content).toEqual([
      { type: 'text', text: 'Compare', cache_control: { type: 'ephemeral' } },
      { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } },
      { type: 'image', source: { type: 'url', url: 'https://example.com/cat.jpg' } },
    ]);
  });

  it('round-trips parallel tool calls and their results, ids kept', () => {
    const { body } = ok({
      messages: [
        { role: 'user', content: 'Weather in Paris and Oslo?' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            {
              id: 'toolu_1',
              type: 'function',
              function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
            },
            {
              id: 'toolu_2',
              type: 'function',
              function: { name: 'get_weather', arguments: '{"city":"Oslo"}' },
            },
          ],
        },
        { role: 'tool', tool_call_id: 'toolu_1', content: '18C' },
        { role: 'tool', tool_call_id: 'toolu_2', content: [{ type: 'text', text: '9C' }] },
        { role: 'user', content: 'Thanks' },
      ],
    });
    expect(body.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'Weather in Paris and Oslo?' }] },
      {
        role: 'assistant',
        content: [
          { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } },
          { type: 'tool_use', id: 'toolu_2', name: 'get_weather', input: { city: 'Oslo' } },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'toolu_1', content: [{ type: 'text', text: '18C' }] },
          { type: 'tool_result', tool_use_id: 'toolu_2', content: [{ type: 'text', text: '9C' }] },
          { type: 'text', text: 'Thanks' },
        ],
      },
    ]);
  });

  it('keeps a trailing assistant message as a prefill, its trailing whitespace cut and reported', () => {
    const result = ok({
      messages: [
        { role: 'user', content: 'Count' },
        { role: 'system', content: 'Continue.' },
        { role: 'assistant', content: 'one two \n' },
      ],
    });
    expect(result.body.messages.at(-1)).toEqual({
      role: 'assistant',
      content: [{ type: 'text', text: 'one two' }],
    });
    expect(result.prefillTrimmed).toBe(' \n');
    expect(result.body.system).toEqual([{ type: 'text', text: 'Continue.' }]);
  });

  it('drops a prefill that is whitespace only', () => {
    const result = ok({
      messages: [
        { role: 'user', content: 'Count' },
        { role: 'assistant', content: '  ' },
      ],
    });
    expect(result.body.messages).toHaveLength(1);
    expect(result.prefillTrimmed).toBe('  ');
  });
});

describe('convertRequest: parameters', () => {
  it.each([
    [{}, undefined, DEFAULT_MAX_TOKENS],
    [{}, 8192, 8192],
    [{ max_tokens: 100 }, 8192, 100],
    [{ max_tokens: 100, max_completion_tokens: 50 }, 8192, 50],
  ])('max_tokens from %j with max_output_tokens %s → %i', (fields, maxOutputTokens, expected) => {
    const extra = maxOutputTokens === undefined ? {} : { maxOutputTokens };
    expect(ok(fields, extra).body.max_tokens).toBe(expected);
  });

  it('maps sampling, stop, user and stream', () => {
    const { body } = ok(
      { temperature: 0.2, top_p: 0.9, top_k: 40, stop: 'END', user: 'u-42', stream: true },
      { stream: true },
    );
    expect(body).toMatchObject({
      temperature: 0.2,
      top_p: 0.9,
      top_k: 40,
      stop_sequences: ['END'],
      metadata: { user_id: 'u-42' },
      stream: true,
    });
    expect(ok({ stop: ['a', 'b'] }).body.stop_sequences).toEqual(['a', 'b']);
  });

  it('maps tools and every tool_choice', () => {
    const tools = [
      {
        type: 'function',
        function: {
          name: 'get_weather',
          description: 'Weather',
          parameters: { type: 'object' },
          strict: true,
        },
      },
      { type: 'function', function: { name: 'now' } },
    ];
    expect(ok({ tools }).body.tools).toEqual([
      { name: 'get_weather', description: 'Weather', input_schema: { type: 'object' }, strict: true },
      { name: 'now', input_schema: { type: 'object', properties: {} } },
    ]);
    const choice = (tool_choice: unknown, parallel_tool_calls?: boolean) =>
      ok({ tools, tool_choice, ...(parallel_tool_calls === undefined ? {} : { parallel_tool_calls }) }).body
        .tool_choice;
    expect(choice('auto')).toEqual({ type: 'auto' });
    expect(choice('none')).toEqual({ type: 'none' });
    expect(choice('required')).toEqual({ type: 'any' });
    expect(choice({ type: 'function', function: { name: 'now' } })).toEqual({ type: 'tool', name: 'now' });
    expect(choice(undefined, false)).toEqual({ type: 'auto', disable_parallel_tool_use: true });
    expect(choice('required', false)).toEqual({ type: 'any', disable_parallel_tool_use: true });
    expect(choice(undefined)).toBeUndefined();
  });

  it('maps response_format json_schema to output_config.format; text asks for nothing', () => {
    const schema = { type: 'object', properties: { a: { type: 'string' } }, additionalProperties: false };
    expect(
      ok({ response_format: { type: 'json_schema', json_schema: { name: 'x', schema } } }).body,
    ).toMatchObject({
      output_config: { format: { type: 'json_schema', schema } },
    });
    expect(ok({ response_format: { type: 'text' } }).body.output_config).toBeUndefined();
  });

  it('accepts the values that ask for nothing', () => {
    expect(
      convert({
        n: 1,
        logprobs: false,
        presence_penalty: 0,
        frequency_penalty: 0,
        logit_bias: {},
        seed: null,
        stream_options: { include_usage: true },
      }).ok,
    ).toBe(true);
  });

  it('does not mutate the caller body', () => {
    const body = {
      messages: [
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: 'one ' },
      ],
    };
    const before = JSON.stringify(body);
    ok(body);
    expect(JSON.stringify(body)).toBe(before);
  });
});

describe('convertRequest: what cannot be translated is named', () => {
  it.each([
    [{ n: 2 }, 'n: 2 is not supported by anthropic models'],
    [{ logprobs: true }, 'logprobs: true is not supported by anthropic models'],
    [{ top_logprobs: 3 }, 'top_logprobs: 3 is not supported'],
    [{ presence_penalty: 0.5 }, 'presence_penalty: 0.5 is not supported'],
    [{ frequency_penalty: 1 }, 'frequency_penalty: 1 is not supported'],
    [{ logit_bias: { 50256: -100 } }, 'logit_bias: {"50256":-100} is not supported'],
    [{ seed: 7 }, 'seed: 7 is not supported'],
    [{ audio: { voice: 'alloy' } }, 'audio: {"voice":"alloy"} is not supported'],
    [{ modalities: ['text', 'audio'] }, 'modalities: ["text","audio"] is not supported'],
    [{ some_vendor_field: 1 }, 'some_vendor_field: 1 is not supported'],
    [{ temperature: 1.5 }, 'temperature: 1.5 is not supported by anthropic models (its range is 0 to 1)'],
    [
      { response_format: { type: 'json_object' } },
      'response_format: {"type":"json_object"} is not supported',
    ],
    [{ tools: [{ type: 'web_search' }] }, 'tools[0].type: web_search is not supported'],
    [
      { tool_choice: 'required' },
      'tool_choice: required is not supported by anthropic models (no tools given)',
    ],
    [{ messages: [{ role: 'user', content: 'x', name: 'bob' }] }, 'messages[0].name: bob is not supported'],
    [{ messages: [{ role: 'function', content: 'x' }] }, 'messages[0].role: function is not supported'],
    [
      { messages: [{ role: 'user', content: [{ type: 'input_audio', input_audio: {} }] }] },
      'messages[0].content[0].type: input_audio is not supported',
    ],
    [
      {
        messages: [
          { role: 'user', content: [{ type: 'image_url', image_url: { url: 'data:image/bmp;base64,AA' } }] },
        ],
      },
      'messages[0].content[0].image_url.url: data:image/bmp is not supported',
    ],
    [
      {
        messages: [
          { role: 'system', content: [{ type: 'image_url', image_url: { url: 'https://x/y.png' } }] },
        ],
      },
      'messages[0].content[0].type: image_url is not supported',
    ],
    [
      {
        messages: [
          {
            role: 'assistant',
            tool_calls: [{ id: 't', type: 'function', function: { name: 'f', arguments: '{oops' } }],
          },
        ],
      },
      'messages[0].tool_calls[0].function.arguments: {oops is not supported by anthropic models (not valid JSON)',
    ],
    [{ messages: [{ role: 'tool', content: 'x' }] }, 'messages[0].tool_call_id: null is not supported'],
  ])('%j → %s', (body, message) => {
    const result = convert(body as Partial<ChatRequestBody>);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problem).toContain(message);
  });
});
