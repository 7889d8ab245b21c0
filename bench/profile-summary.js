#!/usr/bin/env node
/**
 * Summarises V8 CPU profiles (`.cpuprofile`, from `node --cpu-prof`) in the terminal: the sampled
 * time, the share spent in garbage collection, and the functions with the most self time.
 *
 *   node bench/profile-summary.js /tmp/prof/CPU.*.cpuprofile [--top 25]
 *
 * To look at a profile in full, open it in Chrome DevTools (Performance tab, "Load profile"), in
 * VS Code (open the file), or drop it on https://www.speedscope.app.
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * @typedef {{ id: number, callFrame: { functionName: string, url: string, lineNumber: number }, hitCount?: number, children?: number[] }} ProfileNode
 * @typedef {{ nodes: ProfileNode[], startTime: number, endTime: number, samples?: number[], timeDeltas?: number[] }} Profile
 */

/** Where a function lives, short: a path inside the repository, or node's own module. @param {ProfileNode['callFrame']} f */
function where(f) {
  if (!f.url) return '';
  const path = f.url.startsWith('file://') ? relative(ROOT, fileURLToPath(f.url)) : f.url;
  return `${path}:${f.lineNumber + 1}`;
}

/**
 * Self time per node, in µs, from the samples and their time deltas (falls back to hit counts).
 * @param {Profile} profile
 */
function selfTimes(profile) {
  /** @type {Map<number, number>} */
  const self = new Map();
  const { samples = [], timeDeltas = [] } = profile;
  if (samples.length > 0 && timeDeltas.length === samples.length) {
    // timeDeltas[i] is the time before sample i: sample i lasted until sample i + 1.
    for (let i = 0; i < samples.length; i++) {
      const lasted = timeDeltas[i + 1] ?? 0;
      self.set(samples[i] ?? -1, (self.get(samples[i] ?? -1) ?? 0) + lasted);
    }
    return self;
  }
  const total = profile.endTime - profile.startTime;
  const hits = profile.nodes.reduce((n, node) => n + (node.hitCount ?? 0), 0);
  for (const node of profile.nodes) self.set(node.id, hits > 0 ? ((node.hitCount ?? 0) / hits) * total : 0);
  return self;
}

/**
 * @param {string} file
 * @param {number} top
 */
function summarise(file, top) {
  /** @type {Profile} */
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const self = selfTimes(profile);
  /** @type {Map<string, number>} */
  const byFunction = new Map();
  /** @type {Map<string, number>} */
  const byFile = new Map();
  let idle = 0;
  let gc = 0;
  let total = 0;
  for (const node of profile.nodes) {
    const us = self.get(node.id) ?? 0;
    total += us;
    const name = node.callFrame.functionName || '(anonymous)';
    if (name === '(idle)') idle += us;
    if (name === '(garbage collector)') gc += us;
    const key = `${name}  ${where(node.callFrame)}`.trim();
    byFunction.set(key, (byFunction.get(key) ?? 0) + us);
    const file = where(node.callFrame).replace(/:\d+$/, '') || name;
    byFile.set(file, (byFile.get(file) ?? 0) + us);
  }
  const busy = total - idle;
  const pct = (/** @type {number} */ us) => (busy > 0 ? ((us / busy) * 100).toFixed(1) : '0.0');
  const ms = (/** @type {number} */ us) => (us / 1000).toFixed(1);
  const lines = [
    file,
    `  sampled ${ms(total)} ms, of which busy ${ms(busy)} ms (idle ${ms(idle)} ms)`,
    `  garbage collector: ${ms(gc)} ms = ${pct(gc)}% of busy time`,
    `  top ${top} functions by self time (% of busy):`,
  ];
  const ranked = [...byFunction.entries()]
    .filter(([k]) => !k.startsWith('(idle)'))
    .sort((a, b) => b[1] - a[1]);
  /** @param {Array<[string, number]>} entries */
  const table = (entries) =>
    entries.slice(0, top).map(([key, us]) => `    ${pct(us).padStart(5)}%  ${ms(us).padStart(8)} ms  ${key}`);
  lines.push(...table(ranked), `  top ${top} files by self time (% of busy):`);
  lines.push(...table([...byFile.entries()].filter(([k]) => k !== '(idle)').sort((a, b) => b[1] - a[1])));
  return lines.join('\n');
}

const { values, positionals } = parseArgs({
  options: { top: { type: 'string', default: '20' } },
  allowPositionals: true,
});
if (positionals.length === 0) {
  process.stderr.write('Usage: node bench/profile-summary.js FILE.cpuprofile… [--top N]\n');
  process.exit(64);
}
const top = Math.max(1, Number(values.top) || 20);
process.stdout.write(`${positionals.map((f) => summarise(f, top)).join('\n\n')}\n`);
