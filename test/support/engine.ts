import { afterEach } from 'vitest';
import { type MockProvider, startMockProvider } from '../../src/mock/index.js';
import type { MockProviderOptions } from '../../src/mock/types.js';
import type { SwitchboardEvent } from '../../src/routing/events.js';
import { createSwitchboard, type SwitchboardOptions } from '../../src/switchboard.js';

const pending: Array<() => unknown> = [];

/** Runs after the current test (servers closed, instances closed), last registered first. */
export function onCleanup(...fns: Array<() => unknown>): void {
  pending.push(...fns);
}

afterEach(async () => {
  for (const fn of pending.splice(0).reverse()) await fn();
});

/**
 * `{ a: '503' }` → `{ a: { fault: '503' } }`: simulated providers described by their fault alone
 * (or by their whole options, such as `{ protocol: 'gemini', fault: '429:30' }`).
 */
export function faultSpecs(
  faults: Record<string, string | MockProviderOptions>,
): Record<string, MockProviderOptions> {
  return Object.fromEntries(
    Object.entries(faults).map(([name, fault]) => [name, typeof fault === 'string' ? { fault } : fault]),
  );
}

/**
 * Simulated providers (one per name, each with its fault) and a Switchboard over them with
 * `configFor` (plus `overrides`), no logger and `random: () => 0`; everything closes after the test.
 * Returns the instance, the providers, every event it emitted, and a per-provider request count.
 */
export async function startEngine(
  faults: Record<string, string | MockProviderOptions>,
  overrides: Record<string, unknown> = {},
  options: SwitchboardOptions = {},
) {
  const { mocks, close } = await startMocks(faultSpecs(faults));
  onCleanup(close);
  const sb = createSwitchboard(configFor(mocks, overrides), { logger: false, random: () => 0, ...options });
  onCleanup(() => sb.close());
  const events: SwitchboardEvent[] = [];
  sb.events.on((e) => events.push(e));
  return { sb, mocks, events, count: (name: string) => (mocks[name] as MockProvider).stats().requests };
}

/** Starts simulated providers on 127.0.0.1:0, one per name; closes them all with `close()`. */
export async function startMocks(specs: Record<string, MockProviderOptions>) {
  const mocks: Record<string, MockProvider> = {};
  for (const [name, options] of Object.entries(specs)) {
    mocks[name] = await startMockProvider({ name, reply: `Answer from ${name}.`, ...options });
  }
  return {
    mocks,
    close: () => Promise.all(Object.values(mocks).map((m) => m.close())),
  };
}

/**
 * A YAML-shaped config with one provider and one model per mock (model name = mock name), a route
 * `main` with the given chain (default: the mocks in order), fast policies, and any overrides.
 */
export function configFor(mocks: Record<string, MockProvider>, overrides: Record<string, unknown> = {}) {
  const providers: Record<string, unknown> = {};
  const models: Record<string, unknown> = {};
  for (const [name, mock] of Object.entries(mocks)) {
    // Each simulated provider's wire: `type: anthropic` / `type: gemini` for the vendors' simulators.
    providers[`p-${name}`] = {
      base_url: mock.baseUrl,
      ...(mock.protocol === 'openai' ? {} : { type: mock.protocol }),
    };
    models[name] = { provider: `p-${name}`, price: { input: 1, output: 2 } };
  }
  return {
    providers,
    models,
    routes: { main: Object.keys(mocks) },
    retry: { max_retries: 2, base_delay_ms: 1, max_delay_ms: 5, max_retry_after_ms: 10_000 },
    circuit_breaker: {
      failure_threshold: 100,
      window_ms: 60_000,
      cooldown_ms: 1_000,
      max_cooldown_ms: 8_000,
    },
    timeouts: { connect_ms: 1_000, first_byte_ms: 2_000, attempt_ms: 5_000, total_ms: 10_000 },
    logging: { level: 'silent' },
    ...overrides,
  };
}

export const hello = (model = 'main', extra: Record<string, unknown> = {}) => ({
  model,
  messages: [{ role: 'user', content: 'Hello there' }],
  ...extra,
});

/** Collects the text of a stream of chat chunks. */
export async function streamText(
  chunks: AsyncIterable<{ choices: Array<{ delta?: { content?: string | null } }> }>,
) {
  let text = '';
  for await (const chunk of chunks) for (const c of chunk.choices) text += c.delta?.content ?? '';
  return text;
}
