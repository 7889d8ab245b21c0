import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Imports flow one way (ARCHITECTURE.md): common ← config, resilience, providers ← routing ← telemetry
 * ← ledger ← server ← the root (switchboard.ts, gateway.ts, index.ts) ← cli; state (Redis, cluster
 * IPC) sits beside telemetry and implements routing's SharedState seam, so routing never imports it.
 * The mock plays an upstream: common only. Inside a layer, Biome's noImportCycles refuses a circle
 * between files (type imports included); here, the layers themselves must form no circle.
 */
const ALLOWED: Record<string, string[]> = {
  common: ['common'],
  config: ['common', 'config'],
  resilience: ['common', 'config', 'resilience'],
  providers: ['common', 'providers'],
  mock: ['common', 'mock'],
  // The staged outage of `switchboard demo`: a script on the clock and loopback traffic.
  demo: ['common', 'demo'],
  routing: ['common', 'config', 'resilience', 'providers', 'routing'],
  telemetry: ['common', 'config', 'resilience', 'providers', 'routing', 'telemetry'],
  ledger: ['common', 'config', 'routing', 'telemetry', 'ledger'],
  state: ['common', 'config', 'resilience', 'routing', 'state'],
  // The fire drill composes a Switchboard over simulators: it sees the root, never server or state.
  drill: ['common', 'config', 'routing', 'ledger', 'mock', 'drill', '(root)'],
  server: [
    'common',
    'config',
    'resilience',
    'providers',
    'routing',
    'telemetry',
    'ledger',
    'state',
    'server',
  ],
  cli: [
    'common',
    'config',
    'providers',
    'routing',
    'telemetry',
    'ledger',
    'state',
    'server',
    'mock',
    'demo',
    'drill',
    'cli',
    '(root)',
  ],
  '(root)': [
    'common',
    'config',
    'resilience',
    'providers',
    'routing',
    'telemetry',
    'ledger',
    'state',
    'server',
    'mock',
    '(root)',
  ],
};

const SRC = resolve(import.meta.dirname, '../src');

function layerOf(file: string): string {
  const rel = relative(SRC, file);
  return rel.includes('/') ? (rel.split('/')[0] as string) : '(root)';
}

function* sourceFiles(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* sourceFiles(path);
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) yield path;
  }
}

describe('architecture', () => {
  it('imports flow one way between the layers', () => {
    const violations: string[] = [];
    for (const file of sourceFiles(SRC)) {
      const from = layerOf(file);
      const text = readFileSync(file, 'utf8');
      for (const match of text.matchAll(/from '(\.{1,2}\/[^']+)'/g)) {
        const to = layerOf(resolve(dirname(file), match[1] as string));
        if (!ALLOWED[from]?.includes(to)) violations.push(`${relative(SRC, file)} → ${to}`);
      }
    }
    expect(violations).toEqual([]);
  });

  it('the layers, as the imports connect them, form no circle', () => {
    const edges = new Map<string, Set<string>>();
    for (const file of sourceFiles(SRC)) {
      const from = layerOf(file);
      for (const match of readFileSync(file, 'utf8').matchAll(/from '(\.{1,2}\/[^']+)'/g)) {
        const to = layerOf(resolve(dirname(file), match[1] as string));
        if (to !== from) edges.set(from, (edges.get(from) ?? new Set()).add(to));
      }
    }
    const circles: string[] = [];
    const walk = (layer: string, path: string[]) => {
      for (const next of edges.get(layer) ?? []) {
        if (path.includes(next)) circles.push([...path.slice(path.indexOf(next)), next].join(' → '));
        else walk(next, [...path, next]);
      }
    };
    for (const layer of edges.keys()) walk(layer, [layer]);
    expect(circles).toEqual([]);
  });

  it('only the CLI writes to the console; the core never reads the system clock or chance', () => {
    const offenders: string[] = [];
    for (const file of sourceFiles(SRC)) {
      const layer = layerOf(file);
      const text = readFileSync(file, 'utf8');
      if (layer !== 'cli' && /\bconsole\./.test(text)) offenders.push(`${relative(SRC, file)}: console`);
      if (
        (layer === 'routing' || layer === 'resilience') &&
        /Date\.now\(|Math\.random\(|\bsetTimeout\(/.test(text)
      ) {
        offenders.push(`${relative(SRC, file)}: clock or chance`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('declares no generator function inside another function (each call would make a new one)', () => {
    // A `function*` made per call gets a fresh prototype and initial map on every call: in the stream
    // session it cost ~40 us per stream and kept finished streams alive past scavenges
    // (bench/README.md). Generators belong at module level or as class methods.
    const offenders: string[] = [];
    for (const file of sourceFiles(SRC)) {
      readFileSync(file, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          if (
            /^\s+(?:export\s+)?(?:async\s+)?function\s*\*/.test(line) ||
            /\(\s*(?:async\s+)?function\s*\*/.test(line)
          )
            offenders.push(`${relative(SRC, file)}:${i + 1}`);
        });
    }
    expect(offenders).toEqual([]);
  });
});
