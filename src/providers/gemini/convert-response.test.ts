import { describe, expect, it } from 'vitest';
import { fixtureJson } from '../../../test/fixtures/read-fixture.js';
import { UpstreamError } from '../upstream-error.js';
import { convertResponse } from './convert-response.js';
import type { GeminiResponse } from './wire-types.js';

const context = { model: 'asked-model', createdS: 1_700_000_000, fallbackId: 'gen-fallback' };
const convert = (name: string) => convertResponse(fixtureJson<GeminiResponse>(`gemini/${name}`), context);

describe('convertResponse (fixtures)', () => {
  it('text.json: one choice, stop, usage, the response id and model version', () => {
    expect(convert('text.json')).toEqual({
      id: 'i0N5aKnmGoCmz7IPmr2E0Ak',
      object: 'chat.completion',
      created: 1_700_000_000,
      model: 'gemini-2.0-flash',
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: 'The capital of France is Paris.' },
          finish_reason: 'stop',
        },
      ],
      usage: { prompt_tokens: 8, completion_tokens: 7, total_tokens: 15 },
    });
  });

  it('thinking-cached.json: thought parts are not the answer; thinking tokens are completion; cached tokens kept', () => {
    const completion = convert('thinking-cached.json');
    expect(completion.choices[0]?.message).toEqual({ role: 'assistant', content: 'Blue.' });
    expect(completion.usage).toEqual({
      prompt_tokens: 4120,
      completion_tokens: 90,
      total_tokens: 4210,
      prompt_tokens_details: { cached_tokens: 4096 },
      completion_tokens_details: { reasoning_tokens: 88 },
    });
  });

  it('parallel-function-calls.json: two tool calls with stable ids, the thought signature carried in the first', () => {
    const completion = convert('parallel-function-calls.json');
    const again = convert('parallel-function-calls.json');
    expect(completion.choices[0]).toEqual({
      index: 0,
      message: {
        role: 'assistant',
        content: null,
        tool_calls: [
          {
            id: 'call_fc01_0__thought__CiwBVKhc7m1Q',
            type: 'function',
            function: { name: 'get_weather', arguments: '{"location":"Paris"}' },
          },
          {
            id: 'call_fc01_1',
            type: 'function',
            function: { name: 'get_weather', arguments: '{"location":"London"}' },
          },
        ],
      },
      finish_reason: 'tool_calls',
    });
    expect(again).toEqual(completion);
  });

  it('max-tokens.json: finish_reason length', () => {
    expect(convert('max-tokens.json').choices[0]?.finish_reason).toBe('length');
  });

  it.each([
    ['prompt-blocked.json', 'prompt_blocked', 'PROHIBITED_CONTENT'],
    ['safety-finish.json', 'response_blocked', 'SAFETY'],
  ])('%s is a content_policy failure', (name, code, providerCode) => {
    let caught: unknown;
    try {
      convert(name);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(UpstreamError);
    expect(caught).toMatchObject({ kind: 'content_policy', code, providerCode, fallback: false });
  });

  it('a 200 without candidates is a transient bad response', () => {
    expect(() => convertResponse({ usageMetadata: { promptTokenCount: 1 } }, context)).toThrow(
      expect.objectContaining({ kind: 'transient', code: 'bad_response' }),
    );
  });

  it('uses the fallback id and the asked model when Gemini names neither', () => {
    const completion = convertResponse(
      { candidates: [{ content: { parts: [{ text: 'x' }] }, finishReason: 'STOP' }] },
      context,
    );
    expect(completion).toMatchObject({ id: 'gen-fallback', model: 'asked-model' });
    expect(completion.usage).toBeUndefined();
  });

  it('a policy finish after some content is an answer cut with content_filter', () => {
    const completion = convertResponse(
      { candidates: [{ content: { parts: [{ text: 'Partial' }] }, finishReason: 'RECITATION' }] },
      context,
    );
    expect(completion.choices[0]).toMatchObject({
      finish_reason: 'content_filter',
      message: { content: 'Partial' },
    });
  });
});
