import { describe, expect, it } from 'vitest';
import { parseSseData } from '../../test/support/sse.js';
import { formatFault, parseFault } from './faults.js';
import { startMockProvider } from './index.js';

const KEY = 'sk-upstream-secret-0123456789';

describe('the echo-key faults', () => {
  it.each([
    ['echo-key', { type: 'echo-key', status: 400 }],
    ['echo-key:503', { type: 'echo-key', status: 503 }],
    ['echo-key:401', { type: 'echo-key', status: 401 }],
    ['echo-key-mid-stream:2', { type: 'echo-key-mid-stream', chunks: 2 }],
  ])('parses %s and formats it back', (spec, fault) => {
    expect(parseFault(spec)).toEqual(fault);
    expect(formatFault(parseFault(spec))).toBe(spec);
  });

  it.each(['echo-key:200', 'echo-key:600', 'echo-key:abc', 'echo-key:400:1', 'echo-key-mid-stream'])(
    'rejects %j',
    (spec) => {
      expect(() => parseFault(spec)).toThrow(/Invalid fault .*echo-key\[:NNN\]/);
    },
  );

  it('answers the chosen status with a message quoting Authorization, x-api-key and x-goog-api-key', async () => {
    const mock = await startMockProvider({ name: 'careless', fault: 'echo-key:503', apiKey: KEY });
    try {
      const res = await fetch(`${mock.baseUrl}/chat/completions`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${KEY}`,
          'x-api-key': 'anthropic-style-key-42',
          'x-goog-api-key': 'AIzaSyGoogleStyleKey000000000000000000',
        },
        body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }),
      });
      expect(res.status).toBe(503);
      const { error } = (await res.json()) as { error: { message: string; type: string } };
      expect(error.type).toBe('server_error');
      expect(error.message).toContain(`authorization "Bearer ${KEY}"`);
      expect(error.message).toContain('x-api-key "anthropic-style-key-42"');
      expect(error.message).toContain('x-goog-api-key "AIzaSyGoogleStyleKey000000000000000000"');
    } finally {
      await mock.close();
    }
  });

  it('mid-stream: content chunks, then an error event quoting the key, and no [DONE]', async () => {
    const mock = await startMockProvider({
      name: 'careless',
      fault: 'echo-key-mid-stream:2',
      reply: 'one two three',
    });
    try {
      const res = await fetch(`${mock.baseUrl}/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}` },
        body: JSON.stringify({ model: 'm', stream: true, messages: [{ role: 'user', content: 'hi' }] }),
      });
      expect(res.status).toBe(200);
      const data = parseSseData(await res.text());
      expect(data).toHaveLength(4);
      expect(data.slice(1, 3).map((d) => JSON.parse(d).choices[0].delta.content)).toEqual(['one ', 'two ']);
      expect(JSON.parse(data[3] as string).error.message).toContain(`Bearer ${KEY}`);
      expect(data).not.toContain('[DONE]');
    } finally {
      await mock.close();
    }
  });
});
