import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { startGateway } from '../../src/gateway.js';
import { configFor, onCleanup, startMocks } from '../support/engine.js';

const REPLY = 'one two three four five six seven eight';

describe('gateway: tail latency and stream resilience', () => {
  it('recovers a stream cut mid-answer: the SDK receives one complete answer', async () => {
    const { mocks, close } = await startMocks({
      a: { fault: 'stream-cut:3', reply: REPLY },
      b: { reply: REPLY },
    });
    onCleanup(close);
    const gateway = await startGateway(configFor(mocks), { logger: false, port: 0 });
    onCleanup(() => gateway.close(1_000));
    const client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'x', maxRetries: 0 });
    const stream = await client.chat.completions.create({
      model: 'main',
      messages: [{ role: 'user', content: 'count' }],
      stream: true,
    });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
    expect(text).toBe(REPLY);
    expect(mocks.b!.stats().requests).toBe(1);
  });

  it('hedges a slow primary over HTTP; the debug view shows the hedge', async () => {
    const { mocks, close } = await startMocks({ a: { fault: 'slow-first-token:5000' }, b: {} });
    onCleanup(close);
    const config = configFor(mocks);
    (config.routes as Record<string, unknown>).main = { models: ['a', 'b'], hedge: { after_ms: 100 } };
    const gateway = await startGateway(config, { logger: false, port: 0 });
    onCleanup(() => gateway.close(1_000));
    const response = await fetch(`${gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-switchboard-debug': '1' },
      body: JSON.stringify({ model: 'main', messages: [{ role: 'user', content: 'Hi' }] }),
    });
    expect(response.headers.get('x-switchboard-model')).toBe('b');
    const body = (await response.json()) as {
      switchboard: { hedges: number; attempts: Array<{ model: string; hedge?: boolean }> };
    };
    expect(body.switchboard.hedges).toBe(1);
    expect(body.switchboard.attempts.find((a) => a.model === 'b')?.hedge).toBe(true);
    await expect.poll(() => mocks.a!.stats().aborted).toBe(1);
  });
});
