import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/common/manual-clock.js';
import { startGateway } from '../../src/gateway.js';
import {
  configFor,
  faultSpecs,
  hello,
  onCleanup,
  startEngine,
  startMocks,
  streamText,
} from '../support/engine.js';

/** Every simulator answers the same text, so a continuation across vendors can be checked whole. */
const REPLY = 'one two three four five six';

/** Claude, Gemini and an OpenAI-compatible DeepSeek in one chain, each on its own simulated wire. */
async function threeVendors(
  faults: { claude: string; gemini: string; deepseek: string },
  clock?: ManualClock,
) {
  return startEngine(
    {
      claude: { protocol: 'anthropic', fault: faults.claude, reply: REPLY },
      gemini: { protocol: 'gemini', fault: faults.gemini, reply: REPLY },
      deepseek: { fault: faults.deepseek, reply: REPLY },
    },
    { retry: { max_retries: 0 } },
    clock ? { clock } : {},
  );
}

describe('Claude, Gemini and DeepSeek in one chain', () => {
  it('[Claude 529, Gemini 429 with RetryInfo 30 s, DeepSeek] answers from DeepSeek; Gemini is skipped until the delay has passed', async () => {
    const clock = new ManualClock(1_000_000);
    const { sb, count, events } = await threeVendors(
      { claude: '529', gemini: '429:30', deepseek: 'ok' },
      clock,
    );

    const first = await sb.chat(hello());
    expect(first.metadata.model).toBe('deepseek');
    expect(first.completion.choices[0]?.message).toMatchObject({ content: REPLY });
    expect([count('claude'), count('gemini'), count('deepseek')]).toEqual([1, 1, 1]);
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'model.cooling_down', model: 'gemini', retryAfterMs: 30_000 }),
    );

    await clock.advance(10_000);
    const second = await sb.chat(hello());
    expect(second.metadata.model).toBe('deepseek');
    expect(second.metadata.skipped).toContainEqual(
      expect.objectContaining({ model: 'gemini', reason: 'cooling_down' }),
    );
    expect([count('claude'), count('gemini'), count('deepseek')]).toEqual([2, 1, 2]);

    await clock.advance(21_000); // 31 s after the 429: Gemini may be asked again
    await sb.chat(hello());
    expect(count('gemini')).toBe(2);
  });

  it('an overloaded event mid-stream on Claude is continued on Gemini into one clean stream', async () => {
    const { sb, count } = await threeVendors({
      claude: 'overloaded-mid-stream:2',
      gemini: 'ok',
      deepseek: 'ok',
    });
    const result = await sb.stream(hello('main', { stream: true }));
    expect(await streamText(result)).toBe(REPLY);
    expect(result.metadata.recoveries).toEqual([
      expect.objectContaining({ from: 'claude', to: 'gemini', partialChars: 'one two '.length }),
    ]);
    expect([count('claude'), count('gemini'), count('deepseek')]).toEqual([1, 1, 0]);
  });
});

describe('Claude, Gemini and DeepSeek in one chain, through the gateway and the openai SDK', () => {
  async function gateway(faults: { claude: string; gemini: string }) {
    const { mocks, close } = await startMocks(
      faultSpecs({
        claude: { protocol: 'anthropic', fault: faults.claude, reply: REPLY },
        gemini: { protocol: 'gemini', fault: faults.gemini, reply: REPLY },
        deepseek: { reply: REPLY },
      }),
    );
    onCleanup(close);
    const gw = await startGateway(configFor(mocks, { retry: { max_retries: 0 } }), {
      logger: false,
      port: 0,
    });
    onCleanup(() => gw.close(1_000));
    const client = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: 'unused', maxRetries: 0 });
    return { client, count: (name: string) => mocks[name]!.stats().requests };
  }

  it('answers from DeepSeek with the metadata headers saying so', async () => {
    const { client, count } = await gateway({ claude: '529', gemini: '429:30' });
    const { data, response } = await client.chat.completions
      .create({ model: 'main', messages: [{ role: 'user', content: 'Hi' }] })
      .withResponse();
    expect(data.choices[0]?.message.content).toBe(REPLY);
    expect(response.headers.get('x-switchboard-model')).toBe('deepseek');
    expect(response.headers.get('x-switchboard-fallbacks')).toBe('2');
    expect([count('claude'), count('gemini'), count('deepseek')]).toEqual([1, 1, 1]);
  });

  it('streams one clean answer when Claude is overloaded mid-answer and Gemini carries it on', async () => {
    const { client, count } = await gateway({ claude: 'overloaded-mid-stream:2', gemini: 'ok' });
    const stream = await client.chat.completions.create({
      model: 'main',
      stream: true,
      messages: [{ role: 'user', content: 'Hi' }],
    });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
    expect(text).toBe(REPLY);
    expect([count('claude'), count('gemini'), count('deepseek')]).toEqual([1, 1, 0]);
  });
});
