// Shared by the *.test.ts files. Kept free of vitest so that it is harmless if a build picks it up.
import { ConfigError } from '../../src/config/errors.js';
import type { ConfigIssue } from '../../src/config/types.js';

/** Runs `fn`, expects a ConfigError, returns it. */
export function configErrorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError, but nothing was thrown');
}

export function issuesOf(fn: () => unknown): ConfigIssue[] {
  return [...configErrorOf(fn).issues];
}

/** A small valid config in the file's (snake_case) shape; tests change a copy. */
export interface FileDoc {
  providers: Record<string, Record<string, unknown>>;
  models: Record<string, Record<string, unknown>>;
  routes: Record<string, unknown>;
  [key: string]: unknown;
}

export function baseDoc(): FileDoc {
  return {
    providers: {
      deepseek: { base_url: 'https://api.deepseek.com/v1', api_key: 'sk-deepseek' },
      zhipu: { preset: 'zhipu', api_key: 'sk-zhipu' },
    },
    models: {
      'deepseek-chat': { provider: 'deepseek', price: { input: 0.27, output: 1.1 } },
      'glm-5.1': { provider: 'zhipu', price: { input: 1, output: 3 } },
      'glm-4-flash': { provider: 'zhipu', price: { input: 0, output: 0 } },
    },
    routes: { quality: ['glm-5.1', 'deepseek-chat', 'glm-4-flash'] },
  };
}
