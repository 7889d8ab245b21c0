import { deepFreeze } from '../config/freeze.js';
import { type Env, loadConfigFile, parseConfig } from '../config/index.js';
import type { ProviderConfig, SwitchboardConfig } from '../config/types.js';

/**
 * Loads the user's config as `serve` would (presets, defaults, validation, `${VAR}`), except that an
 * unset variable expands to nothing: the drill never calls a provider, so its keys need not be set.
 * Throws ConfigError for a broken file.
 */
export function loadDrillConfig(source: string | object, env: Env = process.env): SwitchboardConfig {
  return typeof source === 'string'
    ? loadConfigFile(source, { env, unsetEnv: 'empty' })
    : parseConfig(source, { env, unsetEnv: 'empty' });
}

/**
 * The config the drill runs: the user's, with every provider in `baseUrls` pointed at its simulator,
 * and without keys or extra headers (nothing secret is sent, not even to the simulators), without a
 * ledger and without shared state (no Redis). Providers not in `baseUrls`, their models and the routes
 * that use them are left out. Models, prices, windows, routes, strategies, retries, breakers,
 * timeouts, hedges and budgets are kept exactly.
 */
export function pointAtSimulators(
  config: SwitchboardConfig,
  baseUrls: ReadonlyMap<string, string>,
): SwitchboardConfig {
  const providers: Record<string, ProviderConfig> = {};
  for (const [id, provider] of Object.entries(config.providers)) {
    const baseUrl = baseUrls.get(id);
    if (baseUrl === undefined) continue;
    const { apiKey: _key, headers: _headers, ...rest } = provider;
    providers[id] = { ...rest, baseUrl, headers: {} };
  }
  const models = Object.fromEntries(
    Object.entries(config.models).filter(([, m]) => providers[m.provider] !== undefined),
  );
  const kept = (id: string) => models[id] !== undefined;
  const routes = Object.fromEntries(
    Object.entries(config.routes).filter(([, route]) => route.models.every(kept)),
  );
  for (const [id, model] of Object.entries(models)) {
    models[id] = { ...model, fallbacks: model.fallbacks.filter(kept) };
  }
  const drilled: SwitchboardConfig = {
    ...config,
    providers,
    models,
    routes,
    ledger: 'off',
    state: { store: 'memory' },
  };
  if (drilled.defaultRoute !== undefined && routes[drilled.defaultRoute] === undefined)
    delete drilled.defaultRoute;
  assertLoopback(drilled);
  return deepFreeze(drilled);
}

/** A drill config that would send something beyond 127.0.0.1: a bug, never a user error. */
export class NotLoopbackError extends Error {
  constructor(provider: string) {
    super(`drill: provider ${provider} is not pointed at a simulator on 127.0.0.1`);
    this.name = 'NotLoopbackError';
  }
}

/** Throws NotLoopbackError unless every provider's base URL is on 127.0.0.1. */
export function assertLoopback(config: SwitchboardConfig): void {
  for (const provider of Object.values(config.providers)) {
    let host: string;
    try {
      host = new URL(provider.baseUrl).hostname;
    } catch {
      throw new NotLoopbackError(provider.id);
    }
    if (host !== '127.0.0.1') throw new NotLoopbackError(provider.id);
  }
}
