import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import Anthropic from '@anthropic-ai/sdk';
import { afterEach, describe, expect, it } from 'vitest';

const BIN = resolve(import.meta.dirname, '../../bin/switchboard.js');
let child: ChildProcess | undefined;

afterEach(async () => {
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((done) => child?.once('exit', done));
  child.kill('SIGTERM');
  await exited;
  child = undefined;
});

describe('switchboard mock --protocol anthropic', () => {
  it('serves the Messages API, which the vendor SDK reads, at the printed base_url', async () => {
    child = spawn(
      process.execPath,
      [BIN, 'mock', '--protocol', 'anthropic', '--port', '0', '--name', 'claude-sim'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    child.stdout?.on('data', (d) => {
      out += d;
    });
    await expect
      .poll(() => /base_url for a config: (http:\S+)/.exec(out)?.[1], { timeout: 10_000 })
      .toBeTruthy();
    const baseURL = /base_url for a config: (http:\S+)/.exec(out)?.[1] as string;
    expect(baseURL).not.toMatch(/\/v1$/);
    const anthropic = new Anthropic({ baseURL, apiKey: 'k', maxRetries: 0 });
    const message = await anthropic.messages.create({
      model: 'claude-sonnet-4-5',
      max_tokens: 20,
      messages: [{ role: 'user', content: 'Hi' }],
    });
    expect(message.content[0]).toMatchObject({ type: 'text', text: expect.stringContaining('claude-sim') });
  });
});
