import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'vitest';
import { onCleanup } from './engine.js';

/** The built CLI (`npm test` builds first). */
export const BIN = resolve(import.meta.dirname, '../../bin/switchboard.js');

const execFileAsync = promisify(execFile);

/** A fresh scratch directory under the system's temp dir. */
export const scratchDir = (prefix = 'switchboard-test-') => mkdtempSync(join(tmpdir(), prefix));

/** Writes `text` as switchboard.yaml in a scratch directory; returns its path. */
export function configFile(text: string): string {
  const path = join(scratchDir('switchboard-cli-'), 'switchboard.yaml');
  writeFileSync(path, text);
  return path;
}

/** Runs one CLI command to its end: its exit code and output (never throws on a non-zero exit). */
export async function runCli(
  args: string[],
  options: { cwd?: string; env?: Record<string, string | undefined> } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await execFileAsync(process.execPath, [BIN, ...args], {
      ...(options.cwd ? { cwd: options.cwd } : {}),
      env: { PATH: process.env.PATH, ...options.env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

export interface CliProcess {
  child: ChildProcess;
  /** Everything it printed so far, stdout and stderr. */
  output(): string;
  /** Its exit code, once it exits. */
  exited: Promise<number | null>;
}

/** Starts a long-running CLI command (`serve`, `mock`); it is killed after the test if still running. */
export function spawnCli(args: string[], options: { cwd?: string } = {}): CliProcess {
  const child = spawn(process.execPath, [BIN, ...args], {
    ...(options.cwd ? { cwd: options.cwd } : {}),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d) => {
    output += d;
  });
  child.stderr?.on('data', (d) => {
    output += d;
  });
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  onCleanup(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
  });
  return { child, output: () => output, exited };
}

/** `switchboard serve …` on a free port; resolves with its URL once it prints that it listens. */
export async function spawnServe(args: string[], options: { cwd?: string } = {}) {
  const proc = spawnCli(['serve', '--port', '0', ...args], options);
  await expect
    .poll(() => /listening on (http:\S+)/.exec(proc.output())?.[1], { timeout: 10_000 })
    .toBeTruthy();
  const url = /listening on (http:\S+)/.exec(proc.output())?.[1] as string;
  return { ...proc, url };
}
