import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * Loads a (CommonJS) package the first time it is needed. A gateway without Redis or a ledger never
 * loads their clients: the Redis client alone adds ~25 MB of resident memory.
 */
export function lazyRequire<T>(name: string): () => T {
  let loaded: T | undefined;
  return () => {
    loaded ??= require(name) as T;
    return loaded;
  };
}
