import type { MockProvider } from '../../src/mock/index.js';
import type { MockProviderOptions } from '../../src/mock/types.js';
import type { SwitchboardEvent } from '../../src/routing/events.js';
import { createSwitchboard } from '../../src/switchboard.js';
import { configFor, onCleanup, startMocks } from '../support/engine.js';

/** The text every simulated provider of these tests answers, so a continuation can be checked whole. */
export const REPLY = 'one two three four five six';
export const CLAUDE_KEY = 'sk-ant-test-secret';
export const CLAUDE_PRICE = { input: 3, output: 15, cache_read: 0.3, cache_write: 3.75 };

/**
 * Simulated providers (names starting with `claude` speak Anthropic's wire and require an x-api-key)
 * and the config over them: `type: anthropic` for the Claude ones, Claude's price with cache prices,
 * `max_retries: 0` unless overridden. Everything closes after the test.
 */
export async function startMixed(
  specs: Record<string, MockProviderOptions>,
  overrides: Record<string, unknown> = {},
) {
  const full: Record<string, MockProviderOptions> = {};
  for (const [name, options] of Object.entries(specs)) {
    full[name] = {
      reply: REPLY,
      ...(name.startsWith('claude') ? { protocol: 'anthropic' as const, apiKey: CLAUDE_KEY } : {}),
      ...options,
    };
  }
  const { mocks, close } = await startMocks(full);
  onCleanup(close);
  const config = configFor(mocks, { retry: { max_retries: 0 }, ...overrides }) as {
    providers: Record<string, Record<string, unknown>>;
    models: Record<string, Record<string, unknown>>;
  };
  for (const name of Object.keys(mocks)) {
    if (!name.startsWith('claude')) continue;
    Object.assign(config.providers[`p-${name}`] as object, { type: 'anthropic', api_key: CLAUDE_KEY });
    Object.assign(config.models[name] as object, { price: CLAUDE_PRICE, model: 'claude-sonnet-4-5' });
  }
  const count = (name: string) => (mocks[name] as MockProvider).stats().requests;
  return { mocks, config, count };
}

/** `startMixed` and a Switchboard over it, with every event it emitted. */
export async function startMixedEngine(
  specs: Record<string, MockProviderOptions>,
  overrides: Record<string, unknown> = {},
) {
  const mixed = await startMixed(specs, overrides);
  const sb = createSwitchboard(mixed.config, { logger: false, random: () => 0 });
  onCleanup(() => sb.close());
  const events: SwitchboardEvent[] = [];
  sb.events.on((e) => events.push(e));
  return { ...mixed, sb, events };
}

/** The body a simulated provider received in its `i`-th logged request. */
export function sentBody(mock: MockProvider | undefined, i = 0): Record<string, unknown> {
  return mock?.stats().log[i]?.body as Record<string, unknown>;
}

export const weatherTool = {
  type: 'function' as const,
  function: {
    name: 'get_weather',
    description: 'Weather for a city',
    parameters: { type: 'object', properties: { text: { type: 'string' } } },
  },
};
