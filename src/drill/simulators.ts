import { SwitchboardError } from '../common/errors.js';
import type { SwitchboardConfig } from '../config/types.js';
import { type MockProvider, startMockProvider } from '../mock/index.js';
import { createSwitchboardFromConfig } from '../switchboard.js';
import { pointAtSimulators } from './drill-config.js';

/** Simulated time to the first byte of every answer, ms. */
export const SIMULATED_LATENCY_MS = 300;
/** Simulated streaming pace, tokens (words) per second. */
export const SIMULATED_TOKENS_PER_SEC = 40;
/** What every simulator answers (12 words: a stream of 12 content chunks). */
export const SIMULATED_REPLY = 'This answer comes from a simulated provider during a Switchboard drill.';

/** One simulator per provider, speaking its wire, paced in simulated time. */
export async function startSimulators(
  config: SwitchboardConfig,
  providers: readonly string[],
  speedup: number,
): Promise<Map<string, MockProvider>> {
  const sims = new Map<string, MockProvider>();
  try {
    for (const id of providers) {
      const provider = config.providers[id];
      if (!provider) continue;
      sims.set(
        id,
        await startMockProvider({
          protocol: provider.type,
          name: id,
          host: '127.0.0.1',
          latencyMs: SIMULATED_LATENCY_MS / speedup,
          tokensPerSec: SIMULATED_TOKENS_PER_SEC * speedup,
          reply: SIMULATED_REPLY,
          maxLogEntries: 1_000_000,
        }),
      );
    }
  } catch (error) {
    await closeSimulators(sims);
    throw error;
  }
  return sims;
}

export async function closeSimulators(sims: ReadonlyMap<string, MockProvider>): Promise<void> {
  await Promise.all([...sims.values()].map((s) => s.close()));
}

/**
 * Why this provider cannot be drilled in this build (its wire has no simulator, or no adapter), or
 * undefined when it can: starts its simulator and builds a Switchboard over it, then closes both.
 */
export async function whyNotSimulated(
  config: SwitchboardConfig,
  provider: string,
): Promise<string | undefined> {
  let sims: Map<string, MockProvider> | undefined;
  try {
    sims = await startSimulators(config, [provider], 1);
    const urls = new Map([...sims].map(([id, sim]) => [id, sim.baseUrl]));
    const sb = createSwitchboardFromConfig(pointAtSimulators(config, urls), { logger: false });
    await sb.close();
    return undefined;
  } catch (error) {
    if (error instanceof SwitchboardError) return error.message;
    throw error;
  } finally {
    if (sims) await closeSimulators(sims);
  }
}
