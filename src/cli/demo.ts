import { type MockProvider, startMockProvider } from '../mock/index.js';

/**
 * The built-in demo: four SIMULATED providers, started in-process, standing in for the classic
 * DeepSeek → GLM → Kimi → GLM-Flash chain. Names carry `-sim` and prices are illustrative, not quotes.
 */
const SIMULATED = [
  {
    provider: 'deepseek-sim',
    model: 'deepseek-chat',
    latencyMs: 120,
    tokensPerSec: 60,
    price: { input: 0.27, output: 1.1 },
    context_window: 128_000,
  },
  {
    provider: 'zhipu-sim',
    model: 'glm-5.1',
    latencyMs: 150,
    tokensPerSec: 50,
    price: { input: 0.6, output: 2.2 },
    context_window: 200_000,
  },
  {
    provider: 'moonshot-sim',
    model: 'kimi-k2.6',
    latencyMs: 180,
    tokensPerSec: 45,
    price: { input: 0.6, output: 2.5 },
    context_window: 256_000,
  },
  {
    provider: 'zhipu-flash-sim',
    model: 'glm-4-flash',
    latencyMs: 60,
    tokensPerSec: 120,
    price: { input: 0, output: 0 },
    context_window: 128_000,
  },
] as const;

export interface Demo {
  config: object;
  mocks: Map<string, MockProvider>;
  close(): Promise<void>;
}

export async function startDemo(): Promise<Demo> {
  const mocks = new Map<string, MockProvider>();
  try {
    for (const s of SIMULATED) {
      mocks.set(
        s.provider,
        await startMockProvider({
          name: s.provider,
          latencyMs: s.latencyMs,
          tokensPerSec: s.tokensPerSec,
          reply: `Hello from ${s.model} on the simulated ${s.provider} provider. Switchboard chose me for this request.`,
        }),
      );
    }
  } catch (error) {
    await Promise.all([...mocks.values()].map((m) => m.close()));
    throw error;
  }
  const config = demoConfig((provider) => mocks.get(provider)?.baseUrl ?? '');
  return {
    config,
    mocks,
    close: async () => {
      await Promise.all([...mocks.values()].map((m) => m.close()));
    },
  };
}

/** The demo's config (YAML-shaped), its providers at `baseUrlOf(provider)`; `switchboard drill` drills it. */
export function demoConfig(baseUrlOf: (provider: string) => string): object {
  const providers: Record<string, object> = {};
  const models: Record<string, object> = {};
  for (const s of SIMULATED) {
    providers[s.provider] = { base_url: baseUrlOf(s.provider) };
    models[s.model] = { provider: s.provider, price: s.price, context_window: s.context_window };
  }
  return {
    providers,
    models,
    routes: {
      quality: ['deepseek-chat', 'glm-5.1', 'kimi-k2.6', 'glm-4-flash'],
      balanced: {
        models: [
          { model: 'glm-5.1', weight: 2 },
          { model: 'deepseek-chat', weight: 2 },
          { model: 'kimi-k2.6', weight: 1 },
        ],
        strategy: 'weighted',
      },
      speed: {
        models: ['glm-4-flash', 'deepseek-chat', 'glm-5.1'],
        strategy: 'fastest',
        hedge: { after: 'p95', after_ms: 400 },
      },
      cheapest: { models: ['glm-4-flash', 'kimi-k2.6', 'deepseek-chat'], strategy: 'cheapest' },
    },
    default_route: 'quality',
    retry: { max_retries: 1, base_delay_ms: 100, max_delay_ms: 1000 },
    circuit_breaker: { failure_threshold: 3, window_ms: 30_000, cooldown_ms: 15_000 },
    timeouts: { connect_ms: 1000, first_byte_ms: 5000, attempt_ms: 15_000, total_ms: 30_000 },
  };
}
