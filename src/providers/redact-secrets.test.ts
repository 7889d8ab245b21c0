import { describe, expect, it } from 'vitest';
import { classifyHttpError } from './openai-compatible/classify.js';
import {
  MAX_PROVIDER_MESSAGE_CHARS,
  providerSecrets,
  redactSecrets,
  safeProviderMessage,
} from './redact-secrets.js';
import { UpstreamError } from './upstream-error.js';

describe('redactSecrets', () => {
  it.each([
    [
      'Received authorization "Bearer sk-live-1234567890abcdef"',
      'Received authorization "Bearer [redacted]"',
    ],
    ['auth: bearer abcDEF1234567890', 'auth: bearer [redacted]'],
    ['BEARER eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig0', 'BEARER [redacted]'],
    ['key sk-proj-AbCdEf0123456789xyz is invalid', 'key [redacted] is invalid'],
    ['got sk-ant-api03-AAAAbbbbCCCC1111', 'got [redacted]'],
    ['google said AIzaSyA1234567890abcdefghijklmnopqrs', 'google said [redacted]'],
    ['https://x/v1?key=0123456789abcdef0123456789abcdef', 'https://x/v1?key=[redacted]'],
    ['{"api_key": "deadbeef00112233"}', '{"api_key": "[redacted]"}'],
    ['x-api-key "anthropic-style-key-42"', 'x-api-key "[redacted]"'],
    ['x-goog-api-key: abcd1234efgh5678', 'x-goog-api-key: [redacted]'],
    ['access_token=ya29.a0AfH6SMBx1234', 'access_token=[redacted]'],
    ['Basic dXNlcjpwYXNzd29yZDEyMw==', 'Basic [redacted]'],
    ['gsk_abcdefgh12345678 and hf_abcdefgh12345678', '[redacted] and [redacted]'],
  ])('%s', (text, expected) => {
    expect(redactSecrets(text)).toBe(expected);
  });

  it.each([
    'Incorrect API key provided. You can find your API key in your account settings.',
    'Bearer authentication is required',
    'The model `gpt-4o` does not exist or you do not have access to it.',
    'Invalid key: please check it',
    "This model's maximum context length is 8192 tokens.",
    'Rate limit reached for requests. Please try again in 20s.',
  ])('leaves ordinary text alone: %s', (text) => {
    expect(redactSecrets(text)).toBe(text);
  });

  it('replaces the given secrets exactly, whatever their shape, and ignores short ones', () => {
    expect(redactSecrets('key plainsecret and abc', ['plainsecret', 'abc'])).toBe('key [redacted] and abc');
  });

  it('providerSecrets: the key and header values, long enough, longest first', () => {
    expect(providerSecrets('short-key-1', { 'x-org': 'org', 'x-tenant': 'tenant-secret-long' })).toEqual([
      'tenant-secret-long',
      'short-key-1',
    ]);
  });

  it('safeProviderMessage caps a huge message after redacting a key that straddles the cap', () => {
    const key = 'sk-live-0123456789abcdefghij';
    const text = `${'x'.repeat(MAX_PROVIDER_MESSAGE_CHARS - 5)}${key}${'y'.repeat(10_000_000)}`;
    const safe = safeProviderMessage(text, [key]);
    expect(safe.length).toBe(MAX_PROVIDER_MESSAGE_CHARS + 1);
    expect(safe).not.toContain('sk-live');
    expect(safe.endsWith('…')).toBe(true);
  });
});

describe('every UpstreamError message is redacted where it is made', () => {
  it('classifyHttpError removes the provider’s own key, even one of no known shape', () => {
    const error = classifyHttpError(
      400,
      {},
      JSON.stringify({
        error: { message: 'Received authorization "Bearer my-vllm-key" and key my-vllm-key' },
      }),
      ['my-vllm-key'],
    );
    expect(error.providerMessage).toBe('Received authorization "Bearer [redacted]" and key [redacted]');
    expect(error.message).not.toContain('my-vllm-key');
  });

  it('the constructor redacts credential shapes from any adapter, and the provider code too', () => {
    const error = new UpstreamError({
      kind: 'client',
      code: 'http_400',
      providerMessage: 'bad key sk-abcdefgh12345678',
      providerCode: 'Bearer abcdefgh12345678',
    });
    expect(error.providerMessage).toBe('bad key [redacted]');
    expect(error.providerCode).toBe('Bearer [redacted]');
    expect(error.message).toBe('upstream http_400: bad key [redacted]');
  });
});
