import type { MockProvider, MockProviderOptions } from '../../src/mock/types.js';
import type { SwitchboardEvent } from '../../src/routing/events.js';
import { createSwitchboard, type SwitchboardOptions } from '../../src/switchboard.js';
import { configFor, onCleanup, startMocks } from '../support/engine.js';

/** The provider key the Gemini simulators expect (sent by the adapter as x-goog-api-key). */
export const GEMINI_KEY = 'gemini-test-key';

/**
 * `configFor`, with each non-OpenAI simulator's provider given its wire (`type: gemini`) and, for
 * Gemini, the key the simulator checks.
 */
export function mixedConfig(mocks: Record<string, MockProvider>, overrides: Record<string, unknown> = {}) {
  const config = configFor(mocks, overrides);
  const providers = config.providers as Record<string, Record<string, unknown>>;
  for (const [name, mock] of Object.entries(mocks)) {
    if (mock.protocol === 'gemini')
      Object.assign(providers[`p-${name}`]!, { type: 'gemini', api_key: GEMINI_KEY });
  }
  return config;
}

/** Simulated providers (Gemini ones take `{ protocol: 'gemini' }`) and a Switchboard over them. */
export async function startMixed(
  specs: Record<string, MockProviderOptions>,
  overrides: Record<string, unknown> = {},
  options: SwitchboardOptions = {},
  tweak: (config: ReturnType<typeof configFor>) => void = () => {},
) {
  const { mocks, close } = await startMocks(
    Object.fromEntries(
      Object.entries(specs).map(([name, spec]) => [
        name,
        spec.protocol === 'gemini' ? { apiKey: GEMINI_KEY, ...spec } : spec,
      ]),
    ),
  );
  onCleanup(close);
  const config = mixedConfig(mocks, overrides);
  tweak(config);
  const sb = createSwitchboard(config, { logger: false, random: () => 0, ...options });
  onCleanup(() => sb.close());
  const events: SwitchboardEvent[] = [];
  sb.events.on((e) => events.push(e));
  const count = (name: string) => mocks[name]!.stats().requests;
  return { sb, mocks, events, count, config };
}

export const gemini = (options: MockProviderOptions = {}): MockProviderOptions => ({
  protocol: 'gemini',
  ...options,
});

interface ToolCallDelta {
  index: number;
  id?: string;
  function?: { name?: string; arguments?: string };
}

/** Reads a stream of chat chunks into its text, its assembled tool calls and its finish reason. */
export async function readStream(
  chunks: AsyncIterable<{
    choices: Array<{
      delta?: { content?: string | null; tool_calls?: unknown[] };
      finish_reason?: string | null;
    }>;
  }>,
) {
  let text = '';
  let finish: string | null | undefined;
  const calls: Array<{ id: string; name: string; arguments: string }> = [];
  for await (const chunk of chunks) {
    for (const choice of chunk.choices) {
      text += choice.delta?.content ?? '';
      for (const raw of (choice.delta?.tool_calls ?? []) as ToolCallDelta[]) {
        calls[raw.index] ??= { id: '', name: '', arguments: '' };
        const call = calls[raw.index]!;
        call.id += raw.id ?? '';
        call.name += raw.function?.name ?? '';
        call.arguments += raw.function?.arguments ?? '';
      }
      if (choice.finish_reason) finish = choice.finish_reason;
    }
  }
  return { text, calls, finish };
}
