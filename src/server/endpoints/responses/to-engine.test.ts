import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../wire/gateway-error.js';
import { responsesToEngine } from './to-engine.js';
import { validateResponsesRequest } from './validate-responses.js';

const translate = (body: Record<string, unknown>) =>
  responsesToEngine(validateResponsesRequest({ model: 'm', ...body }));

describe('responsesToEngine', () => {
  it.each([
    ['a string input', { input: 'Hi' }, { messages: [{ role: 'user', content: 'Hi' }] }],
    [
      'instructions first, then items; developer and assistant text joined',
      {
        instructions: 'Be brief.',
        input: [
          { role: 'developer', content: 'Rules.' },
          {
            type: 'message',
            role: 'assistant',
            content: [
              { type: 'output_text', text: 'a' },
              { type: 'output_text', text: 'b' },
            ],
          },
        ],
      },
      {
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'developer', content: 'Rules.' },
          { role: 'assistant', content: 'ab' },
        ],
      },
    ],
    [
      'an image part',
      {
        input: [
          { role: 'user', content: [{ type: 'input_image', image_url: 'https://x/y.png', detail: 'low' }] },
        ],
      },
      {
        messages: [
          {
            role: 'user',
            content: [{ type: 'image_url', image_url: { url: 'https://x/y.png', detail: 'low' } }],
          },
        ],
      },
    ],
    [
      'consecutive function calls join one assistant turn; outputs become tool messages',
      {
        input: [
          { type: 'function_call', call_id: 'c1', name: 'f', arguments: '{}' },
          { type: 'function_call', call_id: 'c2', name: 'g', arguments: '{"a":1}' },
          { type: 'function_call_output', call_id: 'c1', output: 'one' },
          { type: 'function_call_output', call_id: 'c2', output: [{ type: 'input_text', text: 'two' }] },
        ],
      },
      {
        messages: [
          {
            role: 'assistant',
            content: null,
            tool_calls: [
              { id: 'c1', type: 'function', function: { name: 'f', arguments: '{}' } },
              { id: 'c2', type: 'function', function: { name: 'g', arguments: '{"a":1}' } },
            ],
          },
          { role: 'tool', tool_call_id: 'c1', content: 'one' },
          { role: 'tool', tool_call_id: 'c2', content: 'two' },
        ],
      },
    ],
    [
      'tools, tool_choice, sampling, json_schema and stream',
      {
        input: 'Hi',
        tools: [
          { type: 'function', name: 'f', description: 'd', parameters: { type: 'object' }, strict: true },
        ],
        tool_choice: { type: 'function', name: 'f' },
        max_output_tokens: 9,
        temperature: 0.5,
        top_p: 0.9,
        text: { format: { type: 'json_schema', name: 'out', schema: { type: 'object' }, strict: true } },
        stream: true,
        metadata: { a: 'b' },
      },
      {
        messages: [{ role: 'user', content: 'Hi' }],
        tools: [
          {
            type: 'function',
            function: { name: 'f', description: 'd', parameters: { type: 'object' }, strict: true },
          },
        ],
        tool_choice: { type: 'function', function: { name: 'f' } },
        max_tokens: 9,
        temperature: 0.5,
        top_p: 0.9,
        response_format: {
          type: 'json_schema',
          json_schema: { name: 'out', schema: { type: 'object' }, strict: true },
        },
        stream: true,
        stream_options: { include_usage: true },
      },
    ],
  ])('%s', (_name, body, expected) => {
    expect(translate(body)).toEqual({ model: 'm', ...expected });
  });

  it.each([
    ['previous_response_id', { input: 'Hi', previous_response_id: 'r' }, 'previous_response_id'],
    ['store true', { input: 'Hi', store: true }, 'store'],
    ['background', { input: 'Hi', background: true }, 'background'],
    ['conversation', { input: 'Hi', conversation: 'c' }, 'conversation'],
    ['a file_search tool', { input: 'Hi', tools: [{ type: 'file_search' }] }, 'tools[0].type'],
    [
      'a built-in tool_choice',
      { input: 'Hi', tool_choice: { type: 'web_search_preview' } },
      'tool_choice.type',
    ],
    ['a reasoning item', { input: [{ type: 'reasoning', summary: [] }] }, 'input[0].type'],
    [
      'an image in an assistant turn',
      { input: [{ role: 'assistant', content: [{ type: 'input_image', image_url: 'u' }] }] },
      'input[0].content[0]',
    ],
    ['include', { input: 'Hi', include: ['message.output_text.logprobs'] }, 'include'],
    ['text.verbosity', { input: 'Hi', text: { verbosity: 'low' } }, 'text.verbosity'],
    ['truncation auto', { input: 'Hi', truncation: 'auto' }, 'truncation'],
    ['an unknown field', { input: 'Hi', top_logprobs: 2 }, 'top_logprobs'],
  ])('%s is a 400 naming the field', (_name, body, param) => {
    const error = (() => {
      try {
        translate(body);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(GatewayError);
    expect(error).toMatchObject({ status: 400, param });
  });

  it('null stateful fields and store: false ask for nothing', () => {
    expect(
      translate({
        input: 'Hi',
        previous_response_id: null,
        store: false,
        background: null,
        include: ['reasoning.encrypted_content'],
      }),
    ).toEqual({
      model: 'm',
      messages: [{ role: 'user', content: 'Hi' }],
    });
  });
});
