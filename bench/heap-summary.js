#!/usr/bin/env node
/**
 * Summarises a sampling heap profile (`.heapprofile`, from bench/lib/heap-sampler.js): the bytes
 * sampled, and the functions of this repository that allocated them, each charged with what it
 * allocated itself and what the libraries it called allocated for it (its "owner" share), so a
 * Node or undici allocation shows up under the gateway code that asked for it.
 *
 *   node bench/heap-summary.js /tmp/heap/heap-<pid>.heapprofile [--top 30]
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

/** @typedef {{ callFrame: { functionName: string, url: string, lineNumber: number }, selfSize: number, children: Node[] }} Node */

const { values, positionals } = parseArgs({
  options: { top: { type: 'string', default: '30' } },
  allowPositionals: true,
});
for (const file of positionals) {
  /** @type {{ head: Node }} */
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  /** @type {Map<string, number>} */
  const owners = new Map();
  let total = 0;
  /** @param {Node} node @param {string | undefined} owner */
  const walk = (node, owner) => {
    const f = node.callFrame;
    const ours = f.url.includes('/dist/') && !f.url.includes('node_modules');
    const here = ours
      ? `${f.functionName || '(anonymous)'}  ${f.url.replace(/.*\/dist\//, 'dist/')}:${f.lineNumber + 1}`
      : owner;
    const key =
      here ?? `[library] ${f.functionName || '(anonymous)'} ${f.url.replace(/.*node_modules\//, '')}`;
    total += node.selfSize;
    owners.set(key, (owners.get(key) ?? 0) + node.selfSize);
    for (const child of node.children) walk(child, here);
  };
  walk(profile.head, undefined);
  process.stdout.write(`${file}\n  sampled ${(total / 1e6).toFixed(1)} MB\n`);
  const top = [...owners].sort((a, b) => b[1] - a[1]).slice(0, Number(values.top));
  for (const [key, bytes] of top)
    process.stdout.write(
      `  ${((bytes / total) * 100).toFixed(1).padStart(5)}%  ${(bytes / 1e6).toFixed(1).padStart(7)} MB  ${key}\n`,
    );
}
