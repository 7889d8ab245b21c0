import type { SwitchboardConfig } from '../../config/types.js';
import { UnknownModelError } from '../errors.js';

export interface ChainSelector {
  /** The body's `model`: a route name or a configured model name. */
  model?: unknown;
  /** The body's `models` (OpenRouter's convention): an explicit chain of configured models. */
  models?: unknown;
  /** An explicit route (library option, or the `x-switchboard-route` header). Wins over the rest. */
  route?: string;
}

export interface ResolvedChain {
  route?: string;
  models: readonly string[];
  fallbackOnContentPolicy: boolean;
}

/**
 * Chooses the chain for one request. Pure: reads the config, never mutates it.
 * Precedence: explicit route → `models: [...]` → `model` naming a route → `model` naming a model
 * (then its fallbacks) → the default route when `model` is absent.
 */
export function resolveChain(config: SwitchboardConfig, selector: ChainSelector): ResolvedChain {
  if (selector.route !== undefined) return routeChain(config, selector.route, 'route');

  if (selector.models !== undefined) {
    if (!Array.isArray(selector.models) || selector.models.length === 0) {
      throw new UnknownModelError('`models` must be a non-empty array of configured model names', 'models');
    }
    const models: string[] = [];
    selector.models.forEach((name, i) => {
      if (typeof name !== 'string' || !Object.hasOwn(config.models, name)) {
        throw new UnknownModelError(`models[${i}]: unknown model ${shown(name)}. ${known(config)}`, 'models');
      }
      if (!models.includes(name)) models.push(name);
    });
    return { models, fallbackOnContentPolicy: false };
  }

  const name = selector.model;
  if (name === undefined || name === null || name === '') {
    if (config.defaultRoute) return routeChain(config, config.defaultRoute, 'model');
    throw new UnknownModelError(`\`model\` is required. ${known(config)}`, 'model');
  }
  if (typeof name !== 'string') throw new UnknownModelError('`model` must be a string', 'model');
  if (Object.hasOwn(config.routes, name)) return routeChain(config, name, 'model');
  const model = Object.hasOwn(config.models, name) ? config.models[name] : undefined;
  if (model) {
    const models = [name, ...model.fallbacks.filter((f) => f !== name)];
    return { models, fallbackOnContentPolicy: false };
  }
  throw new UnknownModelError(`The model ${shown(name)} does not exist. ${known(config)}`, 'model');
}

function routeChain(config: SwitchboardConfig, name: string, param: string): ResolvedChain {
  const route = Object.hasOwn(config.routes, name) ? config.routes[name] : undefined;
  if (!route) throw new UnknownModelError(`Unknown route ${shown(name)}. ${known(config)}`, param);
  return { route: name, models: route.models, fallbackOnContentPolicy: route.fallbackOnContentPolicy };
}

/** Longest part of a caller's unknown name echoed back: a 1 MB name must not make a 1 MB answer. */
export const MAX_ECHOED_NAME_CHARS = 64;

/** A caller's name (or any value it sent instead) as quoted in an error, capped at MAX_ECHOED_NAME_CHARS. */
function shown(name: unknown): string {
  const cap = (text: string) =>
    text.length > MAX_ECHOED_NAME_CHARS ? `${text.slice(0, MAX_ECHOED_NAME_CHARS)}…` : text;
  if (typeof name === 'string') return JSON.stringify(cap(name));
  return cap(safeJson(name) ?? typeof name);
}

function safeJson(value: unknown): string | undefined {
  try {
    return JSON.stringify(value);
  } catch {
    return undefined;
  }
}

function known(config: SwitchboardConfig): string {
  const routes = Object.keys(config.routes);
  const models = Object.keys(config.models);
  return `Routes: ${routes.join(', ') || '(none)'}. Models: ${models.join(', ') || '(none)'}.`;
}
