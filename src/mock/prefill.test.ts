import { afterEach, describe, expect, it } from 'vitest';
import { startMockProvider } from './server.js';
import type { MockProvider } from './types.js';

let mock: MockProvider | undefined;
afterEach(async () => {
  await mock?.close();
  mock = undefined;
});

const ask = (url: string, messages: unknown[]) =>
  fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'm', messages }),
  });

describe('assistant prefill', () => {
  it('continues a trailing assistant message that starts the reply', async () => {
    mock = await startMockProvider({ reply: 'one two three four' });
    const response = await ask(mock.url, [
      { role: 'user', content: 'count' },
      { role: 'assistant', content: 'one two ' },
    ]);
    const body = (await response.json()) as {
      choices: Array<{ message: { content: string } }>;
      usage: { completion_tokens: number };
    };
    expect(body.choices[0]?.message.content).toBe('three four');
    expect(body.usage.completion_tokens).toBe(2);
  });

  it('answers in full when the prefill is not the start of its reply', async () => {
    mock = await startMockProvider({ reply: 'one two three four' });
    const response = await ask(mock.url, [
      { role: 'user', content: 'count' },
      { role: 'assistant', content: 'zero ' },
    ]);
    const body = (await response.json()) as { choices: Array<{ message: { content: string } }> };
    expect(body.choices[0]?.message.content).toBe('one two three four');
  });

  it('rejects a prefill with 400 when configured not to accept one', async () => {
    mock = await startMockProvider({ assistantPrefill: false });
    const response = await ask(mock.url, [
      { role: 'user', content: 'count' },
      { role: 'assistant', content: 'one ' },
    ]);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { param: string } }).error.param).toBe('messages');
  });
});
