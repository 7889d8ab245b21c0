import { indexPath } from './path.js';

/**
 * Remembers which routes a loaded config wrote in the long form (`{ models: [...] }`), so that warnings
 * about its entries use the file's notation: `routes.careful.models[1]` rather than `routes.careful[1]`.
 */
const longFormRoutes = new WeakMap<object, ReadonlySet<string>>();

export function rememberLongFormRoutes(config: object, routeIds: ReadonlySet<string>): void {
  longFormRoutes.set(config, routeIds);
}

/** Path of a route's chain entry; the short form for configs that were not loaded from a file. */
export function routeEntryPath(config: object, routeId: string, index: number): string {
  const long = longFormRoutes.get(config)?.has(routeId) ?? false;
  return indexPath(long ? `routes.${routeId}.models` : `routes.${routeId}`, index);
}
