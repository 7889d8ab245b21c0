import { describe, expect, it } from 'vitest';
import { findLimitViolation, REQUEST_LIMITS } from './request-limits.js';

const nested = (levels: number): unknown => {
  let value: unknown = 'x';
  for (let i = 0; i < levels; i++) value = [value];
  return value;
};
const user = (content: unknown) => ({ messages: [{ role: 'user', content }] });

describe('findLimitViolation', () => {
  it('passes an ordinary chat with tools and parts', () => {
    const body = {
      model: 'main',
      messages: [
        { role: 'system', content: 'Be brief.' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Hi' },
            { type: 'image_url', image_url: { url: 'x' } },
          ],
        },
      ],
      tools: [{ type: 'function', function: { name: 'f', parameters: { type: 'object', properties: {} } } }],
    };
    expect(findLimitViolation(body)).toBeUndefined();
  });

  // The body is level 1, messages 2, the message 3, so content at level 4 holds `levels` more arrays.
  it('accepts nesting up to the limit and refuses one level more, naming where', () => {
    const max = REQUEST_LIMITS.maxDepth;
    expect(findLimitViolation(user(nested(max - 3)))).toBeUndefined();
    expect(findLimitViolation(user(nested(max - 2)))).toEqual({
      param: 'messages[0].content',
      message: `messages[0].content: the request is nested deeper than ${max} levels of objects and arrays (the limit)`,
    });
  });

  it('refuses the issue’s 5,000 levels, and a cycle, without overflowing its own stack', () => {
    expect(findLimitViolation(user(nested(5_000)))?.param).toBe('messages[0].content');
    const cycle: Record<string, unknown> = { role: 'user' };
    cycle.content = [cycle];
    expect(findLimitViolation({ messages: [cycle] })?.param).toBe('messages[0].content');
  });

  it('finds depth in any field, not only messages', () => {
    expect(findLimitViolation({ ...user('hi'), response_format: nested(100) })?.param).toBe(
      'response_format[0][0]',
    );
  });

  it('counts messages and content parts', () => {
    const many = Array.from({ length: REQUEST_LIMITS.maxMessages + 1 }, () => ({
      role: 'user',
      content: 'x',
    }));
    expect(findLimitViolation({ messages: many })).toMatchObject({
      param: 'messages',
      message: `messages: ${many.length} messages, more than the limit of ${REQUEST_LIMITS.maxMessages}`,
    });
    expect(findLimitViolation({ messages: many.slice(1) })).toBeUndefined();
    const parts = Array.from({ length: REQUEST_LIMITS.maxContentParts + 1 }, () => ({
      type: 'text',
      text: 'x',
    }));
    expect(
      findLimitViolation({
        messages: [
          { role: 'user', content: 'a' },
          { role: 'user', content: parts },
        ],
      }),
    ).toMatchObject({
      param: 'messages[1].content',
    });
  });
});
