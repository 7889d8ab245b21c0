import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { GoogleGenAI } from '@google/genai';
import { afterEach, describe, expect, it } from 'vitest';

const BIN = resolve(import.meta.dirname, '../../bin/switchboard.js');
let child: ChildProcess | undefined;

afterEach(() => {
  child?.kill('SIGKILL');
  child = undefined;
});

describe('switchboard mock --protocol gemini', () => {
  it('serves the Gemini wire: the official SDK gets its answer; the base_url printed is the SDK base', async () => {
    child = spawn(process.execPath, [BIN, 'mock', '--protocol', 'gemini', '--port', '0', '--name', 'gem'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout?.on('data', (d) => {
      out += d;
    });
    await expect
      .poll(() => /base_url for a config: (http:\S+)/.exec(out)?.[1], { timeout: 10_000 })
      .toBeTruthy();
    const baseUrl = /base_url for a config: (http:\S+)/.exec(out)?.[1] as string;
    expect(baseUrl).not.toMatch(/\/v1$/);
    const ai = new GoogleGenAI({ apiKey: 'any', httpOptions: { baseUrl } });
    const response = await ai.models.generateContent({ model: 'gemini-2.5-flash', contents: 'Hello' });
    expect(response.text).toBe('Hello from gem, a simulated provider.');
    const exited = new Promise<number | null>((r) => child?.once('exit', (code) => r(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
