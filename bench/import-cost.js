#!/usr/bin/env node
/**
 * What loading a module costs the gateway's memory for as long as it runs: the old space still in
 * use after a full GC, in a fresh `node --expose-gc` per specifier, minus a bare Node's. Module source
 * text, bytecode and the objects built at load all stay: nothing loaded is ever unloaded. The
 * measurement behind importing undici's Pool from its own file (src/providers/upstream-pool.ts).
 *
 *   npm run build && node bench/import-cost.js [SPECIFIER ...]
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DEFAULTS = [
  'undici',
  'undici/lib/dispatcher/pool.js',
  'zod',
  'prom-client',
  'pino',
  'yaml',
  'commander',
  './dist/index.js',
];

/** Old space in use (MB) after importing `specifier` (none: a bare Node) and two full GCs. */
function oldSpaceMb(specifier) {
  const script = `
    ${specifier === null ? '' : `await import(${JSON.stringify(specifier)});`}
    globalThis.gc(); globalThis.gc();
    const { getHeapSpaceStatistics } = await import('node:v8');
    const old = getHeapSpaceStatistics().find((s) => s.space_name === 'old_space');
    process.stdout.write(String(old.space_used_size / 1048576));`;
  const out = execFileSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', script], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  return Number(out);
}

const specifiers = process.argv.length > 2 ? process.argv.slice(2) : DEFAULTS;
const bare = oldSpaceMb(null);
console.log(`bare node ${process.version}: ${bare.toFixed(2)} MB of old space in use`);
console.log('| module | old space it adds (MB) |\n|---|---|');
for (const specifier of specifiers) {
  console.log(`| ${specifier} | ${(oldSpaceMb(specifier) - bare).toFixed(2)} |`);
}
