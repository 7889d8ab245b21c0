import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { gemini, startMixed } from '../providers/gemini-setup.js';

describe('POST /v1/responses answered by Gemini', () => {
  it('JSON and stream, through sb.fetch, after the primary is down', async () => {
    const { sb, count } = await startMixed(
      { down: { fault: '503' }, gem: gemini({ reply: 'Hello from Gemini.' }) },
      { routes: { main: ['down', 'gem'] }, retry: { max_retries: 0 } },
    );
    const openai = new OpenAI({
      baseURL: 'http://sb.local/v1',
      apiKey: 'unused',
      maxRetries: 0,
      fetch: sb.fetch,
    });
    const response = await openai.responses.create({ model: 'main', input: 'Hi', max_output_tokens: 20 });
    expect(response.output_text).toBe('Hello from Gemini.');
    expect(response.usage?.output_tokens).toBeGreaterThan(0);

    const stream = await openai.responses.create({ model: 'main', input: 'Hi', stream: true });
    let text = '';
    let last = '';
    for await (const event of stream) {
      if (event.type === 'response.output_text.delta') text += event.delta;
      last = event.type;
    }
    expect(text).toBe('Hello from Gemini.');
    expect(last).toBe('response.completed');
    expect(count('down')).toBe(2);
    expect(count('gem')).toBe(2);
  });
});
