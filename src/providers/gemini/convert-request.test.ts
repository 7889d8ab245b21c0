import { describe, expect, it } from 'vitest';
import type { ChatRequestBody } from '../types.js';
import { convertRequest } from './convert-request.js';

const user = (content: unknown) => ({ role: 'user', content });
const body = (extra: Record<string, unknown>, messages: unknown[] = [user('Hi')]): ChatRequestBody => ({
  model: 'm',
  messages,
  ...extra,
});

function ok(b: ChatRequestBody) {
  const converted = convertRequest(b);
  if (!converted.ok) throw new Error(`expected a translation, got: ${converted.message}`);
  return converted.request;
}
function refused(b: ChatRequestBody): string {
  const converted = convertRequest(b);
  if (converted.ok) throw new Error(`expected a refusal, got ${JSON.stringify(converted.request)}`);
  return converted.message;
}

const weatherCall = {
  id: 'call_a',
  type: 'function',
  function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
};

describe('convertRequest: messages', () => {
  it('system and developer messages (wherever they are) become systemInstruction; assistant becomes model', () => {
    expect(
      ok(
        body({}, [
          { role: 'system', content: 'Be brief.' },
          user('Hi'),
          { role: 'assistant', content: 'Hello!' },
          { role: 'developer', content: [{ type: 'text', text: 'Answer in French.' }] },
          user([{ type: 'text', text: 'How are you?' }]),
        ]),
      ),
    ).toEqual({
      systemInstruction: { parts: [{ text: 'Be brief.' }, { text: 'Answer in French.' }] },
      contents: [
        { role: 'user', parts: [{ text: 'Hi' }] },
        { role: 'model', parts: [{ text: 'Hello!' }] },
        { role: 'user', parts: [{ text: 'How are you?' }] },
      ],
    });
  });

  it('images: a data URL → inlineData, an https URL → fileData with the type from its extension', () => {
    const request = ok(
      body({}, [
        user([
          { type: 'text', text: 'Compare' },
          { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
          { type: 'image_url', image_url: { url: 'https://example.com/cat.JPG?x=1', detail: 'auto' } },
        ]),
      ]),
    );
    expect(request.contents[0]?.parts).toEqual([
      { text: 'Compare' },
      { inlineData: { mimeType: 'image/png', data: 'iVBORw0KGgo=' } },
      { fileData: { mimeType: 'image/jpeg', fileUri: 'https://example.com/cat.JPG?x=1' } },
    ]);
  });

  it('audio and file parts → inlineData', () => {
    const request = ok(
      body({}, [
        user([
          { type: 'input_audio', input_audio: { data: 'UklGRg==', format: 'wav' } },
          { type: 'file', file: { file_data: 'data:application/pdf;base64,JVBERi0=', filename: 'a.pdf' } },
        ]),
      ]),
    );
    expect(request.contents[0]?.parts).toEqual([
      { inlineData: { mimeType: 'audio/wav', data: 'UklGRg==' } },
      { inlineData: { mimeType: 'application/pdf', data: 'JVBERi0=' } },
    ]);
  });

  it('tool calls → functionCall parts; tool results → one user turn of functionResponse parts, named from the call id', () => {
    const request = ok(
      body({}, [
        user('Weather in Paris and London?'),
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            { ...weatherCall, id: 'call_x__thought__SIG' },
            { id: 'call_b', type: 'function', function: { name: 'get_time', arguments: '{}' } },
          ],
        },
        { role: 'tool', tool_call_id: 'call_x__thought__SIG', content: '{"temp":21}' },
        { role: 'tool', tool_call_id: 'call_b', content: [{ type: 'text', text: '10:00' }] },
        user('Thanks'),
      ]),
    );
    expect(request.contents).toEqual([
      { role: 'user', parts: [{ text: 'Weather in Paris and London?' }] },
      {
        role: 'model',
        parts: [
          { functionCall: { name: 'get_weather', args: { city: 'Paris' } }, thoughtSignature: 'SIG' },
          { functionCall: { name: 'get_time', args: {} } },
        ],
      },
      {
        role: 'user',
        parts: [
          { functionResponse: { name: 'get_weather', response: { temp: 21 } } },
          { functionResponse: { name: 'get_time', response: { result: '10:00' } } },
        ],
      },
      { role: 'user', parts: [{ text: 'Thanks' }] },
    ]);
  });

  it('a trailing assistant message stays a trailing model turn (prefill)', () => {
    const request = ok(body({}, [user('Count'), { role: 'assistant', content: 'One, two,' }]));
    expect(request.contents.at(-1)).toEqual({ role: 'model', parts: [{ text: 'One, two,' }] });
  });
});

describe('convertRequest: tools and parameters', () => {
  it('tools → functionDeclarations with JSON schema parameters; tool_choice → functionCallingConfig', () => {
    const parameters = {
      type: 'object',
      properties: { city: { type: 'string', pattern: '^[A-Z]' } },
      required: ['city'],
      additionalProperties: false,
    };
    const request = ok(
      body({
        tools: [{ type: 'function', function: { name: 'get_weather', description: 'Weather', parameters } }],
        tool_choice: { type: 'function', function: { name: 'get_weather' } },
      }),
    );
    expect(request.tools).toEqual([
      {
        functionDeclarations: [
          { name: 'get_weather', description: 'Weather', parametersJsonSchema: parameters },
        ],
      },
    ]);
    expect(request.toolConfig).toEqual({
      functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['get_weather'] },
    });
  });

  it.each([
    ['auto', { mode: 'AUTO' }],
    ['none', { mode: 'NONE' }],
    ['required', { mode: 'ANY' }],
    [
      {
        type: 'allowed_tools',
        allowed_tools: { mode: 'required', tools: [{ type: 'function', function: { name: 'a' } }] },
      },
      { mode: 'ANY', allowedFunctionNames: ['a'] },
    ],
  ])('tool_choice %j', (choice, config) => {
    expect(ok(body({ tool_choice: choice })).toolConfig).toEqual({ functionCallingConfig: config });
  });

  it('strict schemas: annotations dropped, const → enum, definitions → $defs', () => {
    const request = ok(
      body({
        tools: [
          {
            type: 'function',
            function: {
              name: 'f',
              strict: true,
              parameters: {
                $schema: 'http://json-schema.org/draft-07/schema#',
                type: 'object',
                properties: { kind: { const: 'a', default: 'a' }, item: { $ref: '#/definitions/item' } },
                definitions: { item: { type: 'string', description: 'An item' } },
              },
            },
          },
        ],
      }),
    );
    expect(request.tools?.[0]?.functionDeclarations[0]?.parametersJsonSchema).toEqual({
      type: 'object',
      properties: { kind: { enum: ['a'] }, item: { $ref: '#/$defs/item' } },
      $defs: { item: { type: 'string', description: 'An item' } },
    });
  });

  it('generationConfig from the sampling fields, stop, n, and response_format json_schema', () => {
    const schema = { type: 'object', properties: { a: { type: 'number' } }, required: ['a'] };
    expect(
      ok(
        body({
          max_completion_tokens: 300,
          max_tokens: 100,
          temperature: 0.2,
          top_p: 0.9,
          seed: 7,
          presence_penalty: 0.1,
          frequency_penalty: 0.3,
          stop: 'END',
          n: 2,
          response_format: { type: 'json_schema', json_schema: { name: 'x', schema, strict: true } },
          user: 'u-1',
          stream: true,
          stream_options: { include_usage: true },
        }),
      ).generationConfig,
    ).toEqual({
      maxOutputTokens: 300,
      temperature: 0.2,
      topP: 0.9,
      seed: 7,
      presencePenalty: 0.1,
      frequencyPenalty: 0.3,
      stopSequences: ['END'],
      candidateCount: 2,
      responseMimeType: 'application/json',
      responseJsonSchema: schema,
    });
    expect(ok(body({ response_format: { type: 'json_object' } })).generationConfig).toEqual({
      responseMimeType: 'application/json',
    });
    expect(ok(body({})).generationConfig).toBeUndefined();
  });
});

describe('convertRequest: refusals name the field', () => {
  const call = { role: 'assistant', content: null, tool_calls: [weatherCall] };
  it.each([
    ['logprobs', body({ logprobs: true }), 'logprobs is not supported by gemini models'],
    ['top_logprobs', body({ top_logprobs: 2 }), 'top_logprobs is not supported by gemini models'],
    ['logit_bias', body({ logit_bias: { 1: 2 } }), 'logit_bias is not supported by gemini models'],
    [
      'reasoning_effort',
      body({ reasoning_effort: 'low' }),
      'reasoning_effort is not supported by gemini models',
    ],
    ['an unknown field', body({ frobnicate: 1 }), 'frobnicate is not supported by gemini models'],
    [
      'parallel_tool_calls: false',
      body({ parallel_tool_calls: false }),
      'parallel_tool_calls: false is not supported',
    ],
    [
      'stream_options.x',
      body({ stream_options: { include_obfuscation: true } }),
      'stream_options.include_obfuscation',
    ],
    [
      'a message name',
      body({}, [{ role: 'user', content: 'x', name: 'bob' }]),
      'messages[0].name is not supported',
    ],
    ['a function role', body({}, [{ role: 'function', content: 'x' }]), 'messages[0].role: "function"'],
    [
      'an https image without a known extension',
      body({}, [user([{ type: 'image_url', image_url: { url: 'https://example.com/image' } }])]),
      'messages[0].content[0].image_url.url: an https image URL whose file extension',
    ],
    [
      'an http image',
      body({}, [user([{ type: 'image_url', image_url: { url: 'http://example.com/a.png' } }])]),
      'not https or data',
    ],
    [
      'image detail',
      body({}, [
        user([{ type: 'image_url', image_url: { url: 'data:image/png;base64,AA==', detail: 'low' } }]),
      ]),
      'messages[0].content[0].image_url.detail: "low"',
    ],
    [
      'a tool result without its call',
      body({}, [user('x'), { role: 'tool', tool_call_id: 'nope', content: 'r' }]),
      'messages[1].tool_call_id',
    ],
    [
      'arguments that are not JSON',
      body({}, [
        user('x'),
        { ...call, tool_calls: [{ ...weatherCall, function: { name: 'f', arguments: '{oops' } }] },
      ]),
      'messages[1].tool_calls[0].function.arguments',
    ],
    [
      'a custom tool',
      body({ tools: [{ type: 'custom', custom: { name: 'x' } }] }),
      'tools[0]: tool type "custom"',
    ],
    [
      'a strict schema keyword Gemini does not honour',
      body({
        tools: [
          {
            type: 'function',
            function: {
              name: 'f',
              strict: true,
              parameters: { type: 'object', properties: { a: { type: 'string', pattern: 'x' } } },
            },
          },
        ],
      }),
      'tools[0].function.parameters.properties.a.pattern (JSON Schema keyword pattern with strict)',
    ],
    [
      'allowed_tools in auto mode',
      body({ tool_choice: { type: 'allowed_tools', allowed_tools: { mode: 'auto', tools: [] } } }),
      'tool_choice: allowed_tools',
    ],
    [
      'only system messages',
      body({}, [{ role: 'system', content: 'x' }]),
      'messages: a conversation with only system',
    ],
  ])('%s', (_name, b, message) => {
    expect(refused(b)).toContain(message);
  });

  it('accepts opt-in fields that ask for nothing', () => {
    expect(convertRequest(body({ logprobs: false, store: false, metadata: null })).ok).toBe(true);
  });

  it('does not touch the body', () => {
    const b = body({
      tools: [{ type: 'function', function: { name: 'f', parameters: { type: 'object' } } }],
    });
    const before = JSON.stringify(b);
    ok(b);
    expect(JSON.stringify(b)).toBe(before);
  });
});
