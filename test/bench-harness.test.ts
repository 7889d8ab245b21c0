import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * The benchmark harness end to end on a tiny load (`bench/run.js --tiny`): it must start its
 * processes, drive load, print the tables and write a JSON result of the right shape. No figure is
 * asserted: the test runs on whatever machine (and load) it gets.
 */

const ROOT = resolve(import.meta.dirname, '..');
const RUN = join(ROOT, 'bench', 'run.js');
const out = mkdtempSync(join(tmpdir(), 'switchboard-bench-test-'));

afterAll(() => rmSync(out, { recursive: true, force: true }));

function runBench(args: string[], timeoutMs: number) {
  return new Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }>(
    (done) => {
      const env = { ...process.env };
      delete env.NODE_OPTIONS; // the harness's children are plain node processes
      const child = spawn(process.execPath, [RUN, ...args], { cwd: ROOT, env });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk) => {
        stdout += chunk;
      });
      child.stderr.on('data', (chunk) => {
        stderr += chunk;
      });
      // SIGINT: the harness stops its own children before exiting.
      const timer = setTimeout(() => child.kill('SIGINT'), timeoutMs);
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        done({ code, signal, stdout, stderr });
      });
    },
  );
}

/** A number the bench measured: finite (NaN or Infinity would mean a broken measurement). */
const measured = (value: unknown) => {
  expect(typeof value).toBe('number');
  expect(Number.isFinite(value), `not a finite number: ${String(value)}`).toBe(true);
};

interface Scenario {
  id: string;
  status: string;
  requests: number;
  upstreams: Record<string, number>;
  errors: { total: number };
  rps: number;
  p50Ms: number;
  p99Ms: number;
}

describe('bench harness', () => {
  it('runs end to end on a tiny load, prints the tables and writes the JSON result', async () => {
    // A chunk count other than the default: the notes and the title must say what ran.
    const result = await runBench(['--tiny', '--stream-chunks', '7', '--out', out], 85_000);
    expect(result.code, result.stderr).toBe(0);

    expect(result.stdout).toContain('Overhead');
    expect(result.stdout).toMatch(/req\/s @32 conn/);
    expect(result.stdout).toMatch(/p50 @1 conn/);
    expect(result.stdout).toMatch(/stream req\/s @32 conn/);
    expect(result.stdout).toMatch(/CPU µs per request/);
    expect(result.stdout).toContain('Under faults');
    expect(result.stdout).toContain('primary down');
    expect(result.stdout).toMatch(/→primary/);

    for (const file of ['latest.json', 'latest.md']) expect(existsSync(join(out, file))).toBe(true);
    const json = JSON.parse(readFileSync(join(out, 'latest.json'), 'utf8'));

    const rows: Array<{ id: string; tool: string }> = json.overhead.rows;
    expect(rows.map((r) => r.id)).toEqual(
      expect.arrayContaining(['rps-32', 'p50-1', 'p99-1', 'p50-32', 'p99-32', 'rss-idle', 'rss-peak']),
    );
    // The streaming overhead: the same connection count direct and through the gateway.
    expect(rows.map((r) => r.id)).toEqual(
      expect.arrayContaining(['stream-rps-32', 'stream-p99-32', 'stream-rss-peak']),
    );
    const row = (id: string) => json.overhead.rows.find((r: { id: string }) => r.id === id);
    for (const id of ['stream-rps-32', 'stream-p99-32']) {
      measured(row(id).direct);
      measured(row(id).gateway);
      measured(row(id).ratio);
    }
    for (const id of ['cpu-us-per-req-32', 'stream-cpu-us-per-req-32', 'rss-peak', 'stream-rss-peak']) {
      measured(row(id).gateway);
      expect(row(id).gateway).toBeGreaterThan(0);
    }
    // The floor (bench/floor-proxy.js, no logic) ran the same loads: each goal's row carries its figure.
    for (const id of [
      'rps-32',
      'p50-1',
      'p99-32',
      'stream-rps-32',
      'stream-p99-32',
      'rss-peak',
      'stream-rss-peak',
    ]) {
      measured(row(id).floor);
      expect(row(id).floor).toBeGreaterThan(0);
    }
    expect(row('rps-32').floorRatio).toBeCloseTo(row('rps-32').floor / row('rps-32').direct);
    expect(result.stdout).toContain('floor (no logic)');
    for (const phase of ['floor32', 'floor1', 'floorStream32']) {
      expect(json.overhead.floor.phases[phase]).toMatchObject({ tool: expect.any(String) });
      expect(json.overhead.floor.phases[phase].requests).toBeGreaterThan(0);
    }
    for (const phase of ['directStream32', 'gatewayStream32']) {
      expect(json.overhead.phases[phase]).toMatchObject({ tool: expect.any(String), connections: 32 });
      measured(json.overhead.phases[phase].requests);
      expect(json.overhead.phases[phase].requests).toBeGreaterThan(0);
    }
    expect(json.overhead.title).toContain('7 content chunks per answer');
    expect(json.notes.join('\n')).toContain('every answer is 7 content chunks');
    const checkIds = json.checks.map((c: { id: string }) => c.id);
    expect(checkIds).toEqual(
      expect.arrayContaining(['throughput', 'stream-throughput', 'stream-p99-32conn', 'stream-peak-rss']),
    );
    for (const row of rows) expect(row.tool).toEqual(expect.any(String));
    for (const phase of ['direct32', 'gateway32', 'direct1', 'gateway1']) {
      expect(json.overhead.phases[phase]).toMatchObject({ tool: expect.any(String) });
      measured(json.overhead.phases[phase].requests);
    }
    for (const row of json.overhead.rows as Array<{ id: string; gateway?: unknown; direct?: unknown }>) {
      if (row.gateway !== null && row.gateway !== undefined) measured(row.gateway);
      if (row.direct !== null && row.direct !== undefined) measured(row.direct);
    }

    const scenarios: Scenario[] = json.faults.scenarios;
    const ran = scenarios.filter((s) => s.status === 'ran');
    expect(ran.map((s) => s.id)).toEqual(expect.arrayContaining(['healthy', 'primary-down']));
    const faulty = ran.filter((s) => s.id !== 'healthy' && s.id !== 'healthy-stream');
    expect(faulty.length).toBeGreaterThanOrEqual(1);
    for (const s of ran) {
      expect(Object.keys(s.upstreams).sort()).toEqual(['primary', 'secondary', 'tertiary']);
      for (const n of Object.values(s.upstreams)) measured(n);
      measured(s.errors.total);
      measured(s.requests);
      for (const figure of [s.rps, s.p50Ms, s.p99Ms]) measured(figure);
    }
    expect(json.checks.length).toBeGreaterThan(0);

    // Outage and heal: traffic returned to the healed primary, with the probes it took.
    expect(result.stdout).toContain('Outage and heal');
    measured(json.recovery.recoveryDelayMs);
    measured(json.recovery.probes);
    expect(json.recovery.errors).toBe(0);
  }, 90_000);
});
