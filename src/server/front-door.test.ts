import { describe, expect, it } from 'vitest';
import type { WireRequest } from './endpoints/types.js';
import { createFrontDoor } from './front-door.js';
import { GatewayError } from './wire/gateway-error.js';

const request = (path: string, method = 'GET'): WireRequest => ({
  method,
  path,
  query: '',
  header: () => undefined,
  json: async () => ({}),
  signal: { aborted: false, reason: undefined, addEventListener() {}, removeEventListener() {} },
});

describe('the front door', () => {
  it('a bug in an endpoint is a bare 500 for the caller, and is reported to be logged', async () => {
    const seen: Array<{ error: unknown; path: string }> = [];
    const door = createFrontDoor(
      [
        {
          method: 'GET',
          path: '/boom',
          handle: () => {
            throw new TypeError('cannot read properties of undefined');
          },
        },
      ],
      { apiKeys: [], onUnexpected: (error, r) => seen.push({ error, path: r.path }) },
    );
    const answer = await door(request('/boom'));
    expect(answer).toMatchObject({ kind: 'json', status: 500 });
    expect(JSON.stringify(answer)).not.toContain('cannot read');
    expect(seen).toEqual([{ error: expect.any(TypeError), path: '/boom' }]);
  });

  it('an error the endpoint meant (a GatewayError) is answered as is and not reported', async () => {
    const seen: unknown[] = [];
    const door = createFrontDoor(
      [
        {
          method: 'GET',
          path: '/teapot',
          handle: () => {
            throw new GatewayError(418, 'invalid_request_error', 'teapot', 'short and stout');
          },
        },
      ],
      { apiKeys: [], onUnexpected: (error) => seen.push(error) },
    );
    expect(await door(request('/teapot'))).toMatchObject({ status: 418 });
    expect(await door(request('/teapot', 'POST'))).toMatchObject({
      status: 405,
      headers: { allow: 'GET, HEAD' },
    });
    expect(await door(request('/elsewhere'))).toMatchObject({ status: 404 });
    expect(seen).toEqual([]);
  });
});
