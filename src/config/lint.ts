import { routeEntryPath } from './notation.js';
import { indexPath } from './path.js';
import { findPreset } from './presets.js';
import type { ConfigIssue, SwitchboardConfig } from './types.js';

/**
 * Warnings about a valid config: things that work but probably are not what was meant. Nothing here
 * stops the gateway from starting. Messages never contain secret values.
 */
export function lintConfig(config: SwitchboardConfig): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  for (const provider of Object.values(config.providers)) {
    const preset = provider.preset === undefined ? undefined : findPreset(provider.preset);
    if (preset?.needsApiKey && (provider.apiKey === undefined || provider.apiKey === '')) {
      issues.push({
        path: `providers.${provider.id}`,
        message: `preset "${provider.preset}" needs an API key, but api_key is not set; requests will be rejected`,
      });
    }
  }
  for (const model of Object.values(config.models)) {
    if (model.price === undefined) {
      issues.push({ path: `models.${model.id}`, message: 'has no price; its cost will read 0' });
    }
    const chain = [model.id, ...model.fallbacks];
    checkSharedProviders(config, chain, (i) => indexPath(`models.${model.id}.fallbacks`, i - 1), issues);
  }
  for (const route of Object.values(config.routes)) {
    if (route.models.length === 1) {
      issues.push({
        path: `routes.${route.id}`,
        message: `has a single model ("${route.models[0]}"), so there is nothing to fall back to`,
      });
    }
    if (route.hedge !== undefined && route.models.length === 1) {
      issues.push({
        path: `routes.${route.id}.hedge`,
        message: `the route has a single model ("${route.models[0]}"), so there is nothing to hedge with`,
      });
    }
    if (route.strategy === 'weighted' && route.models.length > 1 && allEqual(route.weights)) {
      issues.push({
        path: `routes.${route.id}.strategy`,
        message:
          'is weighted, but every model has the same weight, so it spreads evenly; give weights to steer',
      });
    }
    checkSharedProviders(config, route.models, (i) => routeEntryPath(config, route.id, i), issues);
  }
  return issues;
}

function allEqual(values: readonly number[]): boolean {
  return values.every((value) => value === values[0]);
}

/** Consecutive models of a chain on one provider fail together, so the fallback does not help. */
function checkSharedProviders(
  config: SwitchboardConfig,
  chain: readonly string[],
  pathOf: (index: number) => string,
  issues: ConfigIssue[],
): void {
  for (let i = 1; i < chain.length; i++) {
    const from = chain[i - 1]!;
    const to = chain[i]!;
    const provider = lookup(config.models, from)?.provider;
    if (provider !== undefined && provider === lookup(config.models, to)?.provider) {
      issues.push({
        path: pathOf(i),
        message: `falls back from ${from} to ${to} on the same provider "${provider}"; an outage of that provider takes both`,
      });
    }
  }
}

function lookup<V>(map: Readonly<Record<string, V>>, key: string): V | undefined {
  return Object.hasOwn(map, key) ? map[key] : undefined;
}
