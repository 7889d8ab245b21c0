import { describe, expect, it } from 'vitest';
import { fixtureText } from '../../../test/fixtures/read-fixture.js';
import { parseRetryAfterMs } from '../../resilience/retry-after.js';
import { classifyGeminiError } from './classify.js';
import { parseProtoDurationMs } from './read-error.js';

describe('classifyGeminiError', () => {
  it.each([
    ['error-429-retry-info.json', 429, 'rate_limited', 'RESOURCE_EXHAUSTED'],
    ['error-503.json', 503, 'transient', 'UNAVAILABLE'],
    ['error-context-length.json', 400, 'context_length', 'INVALID_ARGUMENT'],
    ['error-invalid-key.json', 400, 'provider', 'INVALID_ARGUMENT'],
    ['error-trailing-model-turn.json', 400, 'client', 'INVALID_ARGUMENT'],
  ])('%s → %s', (name, status, kind, providerCode) => {
    expect(classifyGeminiError(status, {}, fixtureText(`gemini/${name}`))).toMatchObject({
      kind,
      status,
      providerCode,
    });
  });

  it('turns RetryInfo.retryDelay into a retry-after-ms the engine reads', () => {
    const error = classifyGeminiError(429, {}, fixtureText('gemini/error-429-retry-info.json'));
    expect(error.headers).toEqual({ 'retry-after-ms': '30000' });
    expect(parseRetryAfterMs(error.headers ?? {}, 0)).toBe(30_000);
  });

  it('keeps a real retry-after-ms header over the body', () => {
    const error = classifyGeminiError(
      429,
      { 'retry-after-ms': '5' },
      fixtureText('gemini/error-429-retry-info.json'),
    );
    expect(error.headers?.['retry-after-ms']).toBe('5');
  });

  it('a 429 without RetryInfo has no wait headers', () => {
    const error = classifyGeminiError(
      429,
      {},
      '{"error":{"code":429,"message":"x","status":"RESOURCE_EXHAUSTED"}}',
    );
    expect(error).toMatchObject({ kind: 'rate_limited', headers: undefined });
  });

  it.each([
    [500, 'INTERNAL', 'transient'],
    [504, 'DEADLINE_EXCEEDED', 'transient'],
    [499, 'CANCELLED', 'transient'],
    [401, 'UNAUTHENTICATED', 'provider'],
    [403, 'PERMISSION_DENIED', 'provider'],
    [404, 'NOT_FOUND', 'provider'],
    [400, 'FAILED_PRECONDITION', 'provider'],
    [400, 'INVALID_ARGUMENT', 'client'],
  ])('%i %s → %s', (status, name, kind) => {
    const body = JSON.stringify({ error: { code: status, message: 'm', status: name } });
    expect(classifyGeminiError(status, {}, body).kind).toBe(kind);
  });

  it.each(['', 'not json', '[]', '{"error":"flat"}', '<html>502</html>'])('survives the body %j', (body) => {
    expect(classifyGeminiError(502, {}, body).kind).toBe('transient');
    expect(classifyGeminiError(400, {}, body).kind).toBe('client');
  });

  it('reads a one-element array body (the JSON-array stream form)', () => {
    const body = `[${fixtureText('gemini/error-context-length.json')}]`;
    expect(classifyGeminiError(400, {}, body).kind).toBe('context_length');
  });
});

describe('parseProtoDurationMs', () => {
  it.each([
    ['30s', 30_000],
    ['1.5s', 1_500],
    ['58.934310785s', 58_934.310785],
    ['0s', 0],
  ])('%s → %d ms', (text, ms) => {
    expect(parseProtoDurationMs(text)).toBeCloseTo(ms, 6);
  });

  it.each(['', '30', '-1s', '1m', 'soon', 30, null])('rejects %j', (text) => {
    expect(parseProtoDurationMs(text)).toBeUndefined();
  });
});
