import { describe, expect, it } from 'vitest';
import { parseRetryAfterMs } from '../../resilience/retry-after.js';
import { classifyAnthropicError, waitHeaders } from './classify.js';

const body = (type: string, message: string) => JSON.stringify({ type: 'error', error: { type, message } });

describe('classifyAnthropicError', () => {
  it.each([
    [429, body('rate_limit_error', 'Number of requests has exceeded your rate limit'), 'rate_limited'],
    [529, body('overloaded_error', 'Overloaded'), 'transient'],
    [500, body('api_error', 'Internal server error'), 'transient'],
    [503, '', 'transient'],
    [401, body('authentication_error', 'invalid x-api-key'), 'provider'],
    [403, body('permission_error', 'Your API key does not have permission'), 'provider'],
    [404, body('not_found_error', 'model: claude-nope'), 'provider'],
    [
      400,
      body('invalid_request_error', 'prompt is too long: 208310 tokens > 200000 maximum'),
      'context_length',
    ],
    [
      400,
      body(
        'invalid_request_error',
        'input length and `max_tokens` exceed context limit: 188240 + 21333 > 200000',
      ),
      'context_length',
    ],
    [
      400,
      body('invalid_request_error', 'Your credit balance is too low to access the Anthropic API.'),
      'provider',
    ],
    [400, body('invalid_request_error', 'messages: roles must alternate'), 'client'],
    [413, body('request_too_large', 'Request exceeds the maximum allowed number of bytes'), 'client'],
    [400, 'not json at all', 'client'],
  ])('%i %s → %s', (status, text, kind) => {
    const error = classifyAnthropicError(status, {}, text);
    expect(error.kind).toBe(kind);
    expect(error.status).toBe(status);
  });

  it('keeps the error type as providerCode', () => {
    expect(classifyAnthropicError(529, {}, body('overloaded_error', 'Overloaded'))).toMatchObject({
      providerCode: 'overloaded_error',
      providerMessage: 'Overloaded',
      code: 'http_529',
    });
  });
});

describe('waitHeaders', () => {
  const nowMs = Date.parse('2030-01-01T00:00:00Z');

  it('passes retry-after through and prefers it', () => {
    const headers = waitHeaders({
      'retry-after': '7',
      'anthropic-ratelimit-requests-reset': '2030-01-01T00:01:00Z',
    });
    expect(headers).toEqual({ 'retry-after': '7' });
    expect(parseRetryAfterMs(headers ?? {}, nowMs)).toBe(7000);
  });

  it('turns the latest exhausted RFC 3339 reset into an HTTP-date the engine reads', () => {
    const headers = waitHeaders({
      'anthropic-ratelimit-requests-reset': '2030-01-01T00:00:30Z',
      'anthropic-ratelimit-requests-remaining': '0',
      'anthropic-ratelimit-tokens-reset': '2030-01-01T00:05:00Z',
      'anthropic-ratelimit-tokens-remaining': '52000',
      'anthropic-ratelimit-input-tokens-reset': '2030-01-01T00:00:41.5Z',
    });
    expect(headers).toEqual({ 'retry-after': 'Tue, 01 Jan 2030 00:00:42 GMT' });
    expect(parseRetryAfterMs(headers ?? {}, nowMs)).toBe(42_000);
  });

  it.each([
    ['nothing', {}],
    ['garbage', { 'anthropic-ratelimit-requests-reset': 'soon' }],
    [
      'a limit with room left',
      {
        'anthropic-ratelimit-requests-reset': '2030-01-01T00:00:30Z',
        'anthropic-ratelimit-requests-remaining': '3',
      },
    ],
  ])('gives nothing for %s', (_name, headers) => {
    expect(waitHeaders(headers)).toBeUndefined();
  });
});
