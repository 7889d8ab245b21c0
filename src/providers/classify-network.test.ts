import { describe, expect, it } from 'vitest';
import { classifyNetworkError, isTransportCode } from './classify-network.js';
import { encodeJsonBody, LocalFailure } from './local-failure.js';
import { UpstreamError } from './upstream-error.js';

const withCode = (code: string) => Object.assign(new Error(code), { code });

describe('classifyNetworkError: only the network and the upstream make an UpstreamError', () => {
  it.each([
    ['ECONNREFUSED', 'connect_failed', true],
    ['ENOTFOUND', 'connect_failed', true],
    ['EAI_AGAIN', 'connect_failed', true],
    ['UND_ERR_CONNECT_TIMEOUT', 'connect_timeout', true],
    ['ERR_TLS_CERT_ALTNAME_INVALID', 'connect_failed', true],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', 'connect_failed', true],
    ['ECONNRESET', 'reset', false],
    ['EPIPE', 'reset', false],
    ['UND_ERR_SOCKET', 'reset', false],
    ['UND_ERR_HEADERS_TIMEOUT', 'timeout', false],
    ['UND_ERR_BODY_TIMEOUT', 'timeout', false],
    ['ETIMEDOUT', 'network_error', false],
    ['HPE_INVALID_CONSTANT', 'network_error', false],
    ['UND_ERR_RES_CONTENT_LENGTH_MISMATCH', 'network_error', false],
  ])('%s → transient %s', (code, detail, connectFailed) => {
    const error = classifyNetworkError(withCode(code));
    expect(error).toBeInstanceOf(UpstreamError);
    expect(error).toMatchObject({
      kind: 'transient',
      code: detail,
      connectFailed,
      countsTowardBreaker: true,
    });
  });

  it('reads the code of a cause', () => {
    const wrapped = new Error('fetch failed', { cause: withCode('ECONNRESET') });
    expect(classifyNetworkError(wrapped)).toMatchObject({ code: 'reset' });
  });

  it.each([
    ['a RangeError from JSON.stringify', new RangeError('Maximum call stack size exceeded')],
    ['a TypeError (a bug)', new TypeError("Cannot read properties of undefined (reading 'x')")],
    ['an undici argument error', withCode('UND_ERR_INVALID_ARG')],
    ['a destroyed pool (our shutdown)', withCode('UND_ERR_DESTROYED')],
    ['a request body of the wrong length (ours)', withCode('UND_ERR_REQ_CONTENT_LENGTH_MISMATCH')],
    ["Node's argument errors", withCode('ERR_INVALID_ARG_TYPE')],
    ['a thrown string', 'boom'],
    ['undefined', undefined],
  ])('%s → the gateway’s own LocalFailure', (_name, thrown) => {
    const error = classifyNetworkError(thrown);
    expect(error).toBeInstanceOf(LocalFailure);
    expect(error).toMatchObject({ origin: 'gateway', code: 'internal_error' });
  });

  it('leaves an UpstreamError as it is', () => {
    const error = new UpstreamError({ kind: 'provider', code: 'http_401', status: 401 });
    expect(classifyNetworkError(error)).toBe(error);
  });

  it.each([
    ['EPIPE', true],
    ['EAI_NONAME', true],
    ['ERR_SSL_WRONG_VERSION_NUMBER', true],
    ['ERR_INVALID_URL', false],
    ['UND_ERR_ABORTED', false],
    ['hedge_lost', false],
    ['', false],
  ])('isTransportCode(%j) is %s', (code, expected) => {
    expect(isTransportCode(code)).toBe(expected);
  });
});

describe('encodeJsonBody', () => {
  it('encodes an ordinary body', () => {
    expect(encodeJsonBody({ a: [1, 'x'] })).toBe('{"a":[1,"x"]}');
  });

  it.each([
    ['nesting too deep for the encoder', JSON.parse(`${'['.repeat(20_000)}${']'.repeat(20_000)}`)],
    ['a BigInt', { seed: 1n }],
    [
      'a cycle',
      (() => {
        const o: Record<string, unknown> = {};
        o.self = o;
        return o;
      })(),
    ],
    [
      'a throwing toJSON',
      {
        toJSON: () => {
          throw new Error('no');
        },
      },
    ],
  ])('%s is the caller’s LocalFailure, never a network error', (_name, body) => {
    let caught: unknown;
    try {
      encodeJsonBody(body);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(LocalFailure);
    expect(caught).toMatchObject({ origin: 'request', code: 'invalid_request' });
    expect((caught as Error).message).toMatch(/^the request body cannot be encoded as JSON/);
  });
});
