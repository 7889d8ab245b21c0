import { ApiError, FunctionCallingConfigMode, GoogleGenAI } from '@google/genai';
import { describe, expect, it } from 'vitest';
import { startMockProvider } from '../../src/mock/index.js';
import type { MockProviderOptions } from '../../src/mock/types.js';
import { onCleanup } from '../support/engine.js';

/** The official Gemini SDK pointed at the Gemini simulator: what the simulator sends, the SDK must accept. */
async function setup(options: MockProviderOptions = {}) {
  const mock = await startMockProvider({ protocol: 'gemini', name: 'gem', apiKey: 'test-key', ...options });
  onCleanup(() => mock.close());
  const ai = new GoogleGenAI({ apiKey: 'test-key', httpOptions: { baseUrl: mock.baseUrl } });
  return { mock, ai };
}

const weatherTool = {
  functionDeclarations: [
    {
      name: 'get_weather',
      description: 'Current weather',
      parametersJsonSchema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
    },
  ],
};

describe('@google/genai against the Gemini simulator', () => {
  it('models.generateContent: text, finish reason, usage with cached tokens, the key in x-goog-api-key', async () => {
    const { mock, ai } = await setup({ reply: 'Paris is the capital.', cachedTokens: 7 });
    const response = await ai.models.generateContent({
      model: 'gemini-2.5-flash',
      contents: 'What is the capital of France?',
      config: { systemInstruction: 'Be brief.', temperature: 0.1 },
    });
    expect(response.text).toBe('Paris is the capital.');
    expect(response.candidates?.[0]?.finishReason).toBe('STOP');
    expect(response.modelVersion).toBe('gemini-2.5-flash');
    expect(response.usageMetadata).toMatchObject({ candidatesTokenCount: 4, cachedContentTokenCount: 7 });
    expect(response.usageMetadata?.promptTokenCount).toBeGreaterThan(7);
    const entry = mock.stats().log[0]!;
    expect(entry).toMatchObject({ model: 'gemini-2.5-flash', stream: false, status: 200 });
    expect(entry.body).toMatchObject({
      contents: [{ role: 'user', parts: [{ text: 'What is the capital of France?' }] }],
      systemInstruction: { parts: [{ text: 'Be brief.' }] },
      generationConfig: { temperature: 0.1 },
    });
  });

  it('models.generateContentStream: the words in order, STOP on the last piece, usage at the end', async () => {
    const { mock, ai } = await setup({ reply: 'one two three' });
    const stream = await ai.models.generateContentStream({ model: 'gemini-2.5-flash', contents: 'Count' });
    const texts: string[] = [];
    let last: { finishReason?: string; candidates?: number } = {};
    for await (const chunk of stream) {
      texts.push(chunk.text ?? '');
      last = {
        finishReason: chunk.candidates?.[0]?.finishReason,
        candidates: chunk.usageMetadata?.candidatesTokenCount,
      };
    }
    expect(texts.join('')).toBe('one two three');
    expect(last).toEqual({ finishReason: 'STOP', candidates: 3 });
    expect(mock.stats().log[0]).toMatchObject({ stream: true, status: 200, outcome: 'ok' });
  });

  it('a function call, then its result answered with text (JSON and stream)', async () => {
    const { ai } = await setup({ toolCall: 'get_weather', reply: '{"city":"Paris"}' });
    const config = {
      tools: [weatherTool],
      toolConfig: { functionCallingConfig: { mode: FunctionCallingConfigMode.AUTO } },
    };
    const first = await ai.models.generateContent({
      model: 'gemini-2.5-flash',
      contents: 'Weather in Paris?',
      config,
    });
    expect(first.functionCalls).toEqual([{ name: 'get_weather', args: { city: 'Paris' } }]);

    const calls: unknown[] = [];
    for await (const chunk of await ai.models.generateContentStream({
      model: 'gemini-2.5-flash',
      contents: 'Weather in Paris?',
      config,
    })) {
      calls.push(...(chunk.functionCalls ?? []));
    }
    expect(calls).toEqual([{ name: 'get_weather', args: { city: 'Paris' } }]);

    const second = await ai.models.generateContent({
      model: 'gemini-2.5-flash',
      contents: [
        { role: 'user', parts: [{ text: 'Weather in Paris?' }] },
        { role: 'model', parts: [{ functionCall: { name: 'get_weather', args: { city: 'Paris' } } }] },
        { role: 'user', parts: [{ functionResponse: { name: 'get_weather', response: { temp: 21 } } }] },
      ],
      config,
    });
    expect(second.text).toBe('{"city":"Paris"}');
    expect(second.functionCalls).toBeUndefined();
  });

  it.each([
    ['429:30', 429, 'RESOURCE_EXHAUSTED'],
    ['503', 503, 'UNAVAILABLE'],
    ['context-length', 400, 'The input token count'],
  ])('fault %s reaches the SDK as its ApiError (%i)', async (fault, status, text) => {
    const { ai } = await setup({ fault });
    const error = await ai.models
      .generateContent({ model: 'gemini-2.5-flash', contents: 'x' })
      .catch((e) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(status);
    expect(error.message).toContain(text);
  });

  it('429:30 carries google.rpc.RetryInfo retryDelay "30s" in the error body', async () => {
    const { ai } = await setup({ fault: '429:30' });
    const error = (await ai.models
      .generateContent({ model: 'gemini-2.5-flash', contents: 'x' })
      .catch((e) => e)) as ApiError;
    const body = JSON.parse(error.message) as { error: { details: Array<Record<string, unknown>> } };
    expect(body.error.details).toContainEqual({
      '@type': 'type.googleapis.com/google.rpc.RetryInfo',
      retryDelay: '30s',
    });
  });

  it('a wrong key is refused the way Google refuses it (400 API_KEY_INVALID)', async () => {
    const { mock } = await setup();
    const ai = new GoogleGenAI({ apiKey: 'wrong', httpOptions: { baseUrl: mock.baseUrl } });
    const error = await ai.models
      .generateContent({ model: 'gemini-2.5-flash', contents: 'x' })
      .catch((e) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(400);
    expect(error.message).toContain('API_KEY_INVALID');
  });

  it('safety-block: a 200 whose candidate finished SAFETY, no text; content-filter: the prompt blocked', async () => {
    const { mock, ai } = await setup({ fault: 'safety-block' });
    const blocked = await ai.models.generateContent({ model: 'gemini-2.5-flash', contents: 'x' });
    expect(blocked.candidates?.[0]?.finishReason).toBe('SAFETY');
    expect(blocked.text).toBeUndefined();
    mock.setFault('content-filter');
    const prompt = await ai.models.generateContent({ model: 'gemini-2.5-flash', contents: 'x' });
    expect(prompt.promptFeedback?.blockReason).toBe('SAFETY');
    expect(prompt.candidates).toBeUndefined();
  });

  it('stream-cut:2 breaks the SDK stream after two pieces', async () => {
    const { ai } = await setup({ fault: 'stream-cut:2', reply: 'a b c d' });
    const texts: string[] = [];
    const error = await (async () => {
      for await (const chunk of await ai.models.generateContentStream({
        model: 'gemini-2.5-flash',
        contents: 'x',
      })) {
        texts.push(chunk.text ?? '');
      }
    })().catch((e) => e);
    expect(texts).toEqual(['a ', 'b ']);
    expect(error).toBeInstanceOf(Error);
  });
});
