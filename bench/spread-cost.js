#!/usr/bin/env node
/**
 * What an object spread that adds keys costs the old generation, in this Node: the measurement
 * behind src/common/merged.ts. For each way of building "a copy of `h` plus two keys", it makes
 * three million objects (keeping none) and reads, from V8's GC trace, the bytes the scavenges
 * promoted per object. On Node 20.20: `{ ...h, d, e }` and `{ ...h }` then `o.d = …` ~155 B each;
 * `Object.assign`, a spread that only overwrites keys, and merged() ~0 B.
 *
 *   npm run build && node bench/spread-cost.js
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const WAYS = [
  'spread, then add keys',
  'spread with new keys',
  'spread overwriting a key',
  'Object.assign',
  'merged()',
];

if (process.argv[2] === '--child') {
  const { merged } = await import('../dist/common/merged.js');
  const way = process.argv[3];
  const source = () => ({ a: 'x', b: String(Math.random()).slice(0, 4), c: 'z' });
  /** @type {Record<string, () => object>} */
  const make = {
    'spread, then add keys': () => {
      /** @type {Record<string, string>} */
      const o = { ...source() };
      o.d = '1';
      o.e = '2';
      return o;
    },
    'spread with new keys': () => ({ ...source(), d: '1', e: '2' }),
    'spread overwriting a key': () => ({ ...source(), a: '1' }),
    'Object.assign': () => Object.assign({}, source(), { d: '1', e: '2' }),
    'merged()': () => merged(source(), { d: '1', e: '2' }),
  };
  const build = make[String(way)];
  if (!build) throw new Error(`unknown way ${way}`);
  let kept;
  process.stdout.write('MARK\n');
  for (let i = 0; i < 3_000_000; i++) {
    kept = build();
    if ((i & 1023) === 0) await new Promise((resolve) => setImmediate(resolve));
  }
  if (kept === undefined) process.exit(1);
} else {
  const self = fileURLToPath(import.meta.url);
  process.stdout.write('bytes promoted per object (V8 GC trace, 3M objects each)\n');
  for (const way of WAYS) {
    const trace = execFileSync(process.execPath, ['--trace-gc-nvp', self, '--child', way], {
      maxBuffer: 64 * 1024 * 1024,
    }).toString();
    let promoted = 0;
    for (const line of trace.slice(trace.indexOf('MARK')).split('\n'))
      if (line.includes('gc=s')) promoted += Number(/ promoted=(\d+)/.exec(line)?.[1] ?? 0);
    process.stdout.write(`${way.padEnd(26)}${(promoted / 3_000_000).toFixed(1).padStart(8)} B\n`);
  }
}
