import { afterEach, describe, expect, it } from 'vitest';
import { parseSseData } from '../../test/support/sse.js';
import { type MockProvider, startMockProvider } from './index.js';

let provider: MockProvider | undefined;
afterEach(async () => {
  await provider?.close();
  provider = undefined;
});

describe('overloaded-mid-stream on the OpenAI wire', () => {
  it('sends N content chunks, then an error chunk, and ends without [DONE]', async () => {
    provider = await startMockProvider({ reply: 'one two three', fault: 'overloaded-mid-stream:2' });
    const res = await fetch(`${provider.baseUrl}/chat/completions`, {
      method: 'POST',
      body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'hi' }], stream: true }),
    });
    const data = parseSseData(await res.text());
    expect(res.status).toBe(200);
    expect(data).toHaveLength(4);
    expect(data.slice(1, 3).map((d) => JSON.parse(d).choices[0].delta.content)).toEqual(['one ', 'two ']);
    expect(JSON.parse(data[3] as string).error.code).toBe('overloaded');
  });

  it('answers a non-streaming request normally (a stream fault)', async () => {
    provider = await startMockProvider({ reply: 'one two three', fault: 'overloaded-mid-stream:2' });
    const res = await fetch(`${provider.baseUrl}/chat/completions`, {
      method: 'POST',
      body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(res.status).toBe(200);
  });
});
