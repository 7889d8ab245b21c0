import { describe, expect, it } from 'vitest';
import { anthropicNative } from '../../../providers/anthropic/native-body.js';
import { messageFromCompletion, stopReasonOf } from './from-engine.js';
import { messagesToEngine } from './to-engine.js';
import { validateMessagesRequest } from './validate-messages.js';

const translate = (body: Record<string, unknown>, beta?: string) =>
  messagesToEngine(validateMessagesRequest({ model: 'm', max_tokens: 10, ...body }), beta);

describe('messagesToEngine', () => {
  it('system, images, tool uses and results; the caller body carried along', () => {
    const body = {
      system: 'Be brief.',
      stop_sequences: ['END'],
      metadata: { user_id: 'u1' },
      tool_choice: { type: 'any', disable_parallel_tool_use: true },
      tools: [{ name: 'f', description: 'd', input_schema: { type: 'object' } }],
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Look' },
            { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'AAA' } },
          ],
        },
        { role: 'assistant', content: [{ type: 'tool_use', id: 't1', name: 'f', input: { a: 1 } }] },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 't1', content: [{ type: 'text', text: 'r' }] },
            { type: 'text', text: 'and?' },
          ],
        },
      ],
    };
    const { body: engine, dropped } = translate(body, 'beta-1');
    // JSON: what another wire's adapter would see (the pass-through is a symbol).
    expect(JSON.parse(JSON.stringify(engine))).toEqual({
      model: 'm',
      max_tokens: 10,
      stop: ['END'],
      user: 'u1',
      tool_choice: 'required',
      parallel_tool_calls: false,
      tools: [
        { type: 'function', function: { name: 'f', description: 'd', parameters: { type: 'object' } } },
      ],
      messages: [
        { role: 'system', content: 'Be brief.' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Look' },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,AAA' } },
          ],
        },
        {
          role: 'assistant',
          content: null,
          tool_calls: [{ id: 't1', type: 'function', function: { name: 'f', arguments: '{"a":1}' } }],
        },
        { role: 'tool', tool_call_id: 't1', content: 'r' },
        { role: 'user', content: [{ type: 'text', text: 'and?' }] },
      ],
    });
    expect(dropped).toEqual([]);
    const native = anthropicNative(engine);
    expect(native).toMatchObject({ beta: 'beta-1', body: { model: 'm', ...body, max_tokens: 10 } });
    expect(native?.messages).toBe(engine.messages);
    expect(native?.anthropicOnly).toBeUndefined();
  });

  it.each([
    [
      'a document block',
      { messages: [{ role: 'user', content: [{ type: 'document', source: {} }] }] },
      'messages[0].content[0] (document block)',
    ],
    [
      'a server tool',
      {
        messages: [{ role: 'user', content: 'Hi' }],
        tools: [{ type: 'web_search_20250305', name: 'web_search' }],
      },
      'tools[0] (web_search_20250305)',
    ],
    ['mcp_servers', { messages: [{ role: 'user', content: 'Hi' }], mcp_servers: [] }, 'mcp_servers'],
    [
      'an image in a tool result',
      {
        messages: [
          {
            role: 'user',
            content: [{ type: 'tool_result', tool_use_id: 't', content: [{ type: 'image', source: {} }] }],
          },
        ],
      },
      'messages[0].content[0].content[0] (image block in a tool result)',
    ],
  ])('%s makes the request Anthropic-only', (_name, body, only) => {
    expect(anthropicNative(translate(body).body)?.anthropicOnly).toBe(only);
  });

  it('cache_control, thinking, top_k and is_error are dropped for other wires and listed', () => {
    const { dropped } = translate({
      top_k: 3,
      thinking: { type: 'enabled', budget_tokens: 5 },
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'Hi', cache_control: { type: 'ephemeral' } }] },
        {
          role: 'assistant',
          content: [
            { type: 'redacted_thinking', data: 'x' },
            { type: 'tool_use', id: 't', name: 'f', input: {} },
          ],
        },
        {
          role: 'user',
          content: [{ type: 'tool_result', tool_use_id: 't', content: 'boom', is_error: true }],
        },
      ],
    });
    expect(dropped).toEqual(['cache_control', 'thinking', 'tool_result.is_error', 'top_k']);
  });
});

describe('the answer in Anthropic shape', () => {
  it.each([
    ['stop', 'end_turn'],
    ['length', 'max_tokens'],
    ['tool_calls', 'tool_use'],
    ['content_filter', 'refusal'],
    [null, 'end_turn'],
  ])('finish %s → stop_reason %s', (finish, stop) => {
    expect(stopReasonOf(finish)).toBe(stop);
  });

  it('text and tool calls become blocks; usage leaves the cached prompt out of input_tokens', () => {
    const answer = messageFromCompletion(
      {
        id: 'chatcmpl-1',
        model: 'gpt-x',
        choices: [
          {
            message: {
              content: 'Sure.',
              tool_calls: [{ id: 'c1', function: { name: 'f', arguments: '{"a":1}' } }],
            },
            finish_reason: 'tool_calls',
          },
        ],
        usage: {
          prompt_tokens: 10,
          completion_tokens: 4,
          total_tokens: 14,
          prompt_tokens_details: { cached_tokens: 6 },
        },
      },
      { model: 'gpt' } as never,
      false,
    );
    expect(answer).toMatchObject({
      type: 'message',
      role: 'assistant',
      model: 'gpt-x',
      content: [
        { type: 'text', text: 'Sure.' },
        { type: 'tool_use', id: 'c1', name: 'f', input: { a: 1 } },
      ],
      stop_reason: 'tool_use',
      usage: {
        input_tokens: 4,
        output_tokens: 4,
        cache_read_input_tokens: 6,
        cache_creation_input_tokens: 0,
      },
    });
    expect(answer.id).toMatch(/^msg_/);
  });
});
