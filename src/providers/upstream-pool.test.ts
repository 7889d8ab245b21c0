import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Pool } from 'undici';
import UndiciPool from 'undici/lib/dispatcher/pool.js';
import { describe, expect, it } from 'vitest';
import { createUpstreamPool } from './upstream-pool.js';

const SRC = fileURLToPath(new URL('..', import.meta.url));

/** Every .ts file under src that is not a test. */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

describe('the upstream pool: undici Pool without the rest of undici', () => {
  it('is the very class undici exports, so its types and behaviour are undici’s', () => {
    expect(UndiciPool).toBe(Pool);
    const { pool, socketTimeoutMs } = createUpstreamPool('http://127.0.0.1:9', {});
    expect(pool).toBeInstanceOf(Pool);
    expect(socketTimeoutMs).toBe(0);
    return pool.destroy();
  });

  it('is the only runtime import of undici in src: its index would load 3 MB more for good', () => {
    const runtime = sources(SRC).filter((path) =>
      /^import\s+(?!type\b)[^;]*from\s+'undici'/m.test(readFileSync(path, 'utf8')),
    );
    expect(runtime).toEqual([]);
  });
});
