import type { MockProvider, MockProviderOptions } from '../../src/mock/types.js';
import type { SwitchboardEvent } from '../../src/routing/events.js';
import { createSwitchboard, type SwitchboardOptions } from '../../src/switchboard.js';
import { onCleanup, startMocks } from '../support/engine.js';

/** The vector length the simulators produce in these tests (small answers, same rules as 1536). */
export const DIMS = 8;
export const GEMINI_KEY = 'gemini-embed-key';
export const SPACE = 'openai-text-embedding-3-small';

/**
 * Simulators by name and a YAML-shaped config over them: every simulator gets a provider `p-NAME`
 * (Gemini ones `type: gemini` with their key) and an embedding model `NAME` serving `upstream`
 * in `space`, plus a chat model `chat` on the first simulator; `tweak` edits the config.
 */
export function embeddingConfig(
  mocks: Record<string, MockProvider>,
  spaces: Record<string, { space: string; upstream: string }>,
  routes: Record<string, unknown>,
) {
  const providers: Record<string, unknown> = {};
  const models: Record<string, unknown> = {};
  for (const [name, mock] of Object.entries(mocks)) {
    providers[`p-${name}`] =
      mock.protocol === 'gemini'
        ? { type: 'gemini', base_url: mock.baseUrl, api_key: GEMINI_KEY }
        : { base_url: mock.baseUrl };
    const spec = spaces[name] ?? { space: SPACE, upstream: 'text-embedding-3-small' };
    models[name] = {
      provider: `p-${name}`,
      model: spec.upstream,
      price: { input: 0.02, output: 0 },
      embedding: { space: spec.space, dimensions: DIMS },
    };
  }
  const first = Object.keys(mocks)[0] as string;
  models.chat = { provider: `p-${first}`, price: { input: 1, output: 2 } };
  return {
    providers,
    models,
    routes: { main: ['chat'], ...routes },
    retry: { max_retries: 1, base_delay_ms: 1, max_delay_ms: 5, max_retry_after_ms: 10_000 },
    timeouts: { connect_ms: 1_000, first_byte_ms: 2_000, attempt_ms: 5_000, total_ms: 10_000 },
    logging: { level: 'silent' },
  };
}

/** Starts the simulators (vectors of DIMS), a Switchboard over `embeddingConfig`, and closes both after the test. */
export async function startEmbeddings(
  specs: Record<string, MockProviderOptions>,
  routes: Record<string, unknown>,
  spaces: Record<string, { space: string; upstream: string }> = {},
  options: SwitchboardOptions = {},
  tweak: (config: ReturnType<typeof embeddingConfig>) => void = () => {},
) {
  const { mocks, close } = await startMocks(
    Object.fromEntries(
      Object.entries(specs).map(([name, spec]) => [
        name,
        {
          embeddingDimensions: DIMS,
          ...(spec.protocol === 'gemini' ? { apiKey: GEMINI_KEY } : {}),
          ...spec,
        },
      ]),
    ),
  );
  onCleanup(close);
  const config = embeddingConfig(mocks, spaces, routes);
  tweak(config);
  const sb = createSwitchboard(config, { logger: false, random: () => 0, ...options });
  onCleanup(() => sb.close());
  const events: SwitchboardEvent[] = [];
  sb.events.on((e) => events.push(e));
  const count = (name: string) => (mocks[name] as MockProvider).stats().requests;
  return { sb, mocks, events, count, config };
}
