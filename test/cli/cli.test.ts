import { describe, expect, it } from 'vitest';
import { configFile, runCli, scratchDir, spawnServe } from '../support/cli.js';

const check = (path: string, env: Record<string, string> = {}) =>
  runCli(['check', '--config', path], { env });

const GOOD = `
providers:
  deepseek: { preset: deepseek, api_key: \${DEEPSEEK_API_KEY} }
  deepseek-backup: { preset: deepseek, api_key: \${DEEPSEEK_API_KEY} }
  zhipu: { preset: zhipu, api_key: \${ZHIPU_API_KEY} }
models:
  deepseek-chat: { provider: deepseek, price: { input: 0.27, output: 1.10 } }
  deepseek-reasoner: { provider: deepseek, price: { input: 0.55, output: 2.19 } }
  glm-4-flash: { provider: zhipu }
routes:
  quality: [deepseek-chat, deepseek-reasoner, glm-4-flash]
  solo: [glm-4-flash]
`;

describe('switchboard check', () => {
  it('accepts a good config and prints its warnings', async () => {
    const result = await check(configFile(GOOD), {
      DEEPSEEK_API_KEY: 'sk-ds-secret',
      ZHIPU_API_KEY: 'zp-secret',
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('OK (3 models, 2 routes');
    expect(result.stdout).toMatch(/routes\.quality\[1\]: .*same provider "deepseek"/);
    expect(result.stdout).toMatch(/routes\.solo: has a single model/);
    expect(result.stdout).toMatch(/models\.glm-4-flash.*price/);
    // deepseek-chat and deepseek-reasoner have built-in windows; glm-4-flash has none.
    expect(result.stdout).toContain('note: no context window known for glm-4-flash: tried on any prompt');
    expect(result.stdout + result.stderr).not.toContain('secret');
  });

  it('refuses a broken config, listing every problem by path', async () => {
    const broken = GOOD.replace(
      'quality: [deepseek-chat, deepseek-reasoner, glm-4-flash]',
      'quality: [deepseek-chat, kimi-k2.7]',
    ).replace('glm-4-flash: { provider: zhipu }', 'glm-4-flash: { provider: zhipuu, max_retry: 3 }');
    const result = await check(configFile(broken), {
      DEEPSEEK_API_KEY: 'sk-ds-secret',
      ZHIPU_API_KEY: 'zp-secret',
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('routes.quality[1]: unknown model "kimi-k2.7"');
    expect(result.stderr).toMatch(/models\.glm-4-flash\.provider: unknown provider "zhipuu"/);
    expect(result.stderr).toMatch(/models\.glm-4-flash.*max_retry/);
    expect(result.stderr).not.toContain('secret');
  });

  it('names an unset environment variable', async () => {
    const result = await check(configFile(GOOD), { DEEPSEEK_API_KEY: 'x' });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('ZHIPU_API_KEY');
  });

  it('names a file that does not exist', async () => {
    const result = await check('/nonexistent/switchboard.yaml');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('/nonexistent/switchboard.yaml');
  });
});

describe('switchboard serve (the demo)', () => {
  it('starts on simulated providers, answers, and exits 0 on SIGTERM', async () => {
    // In a scratch directory: the gateway keeps its ledger in ./switchboard.db.
    const serve = await spawnServe([], { cwd: scratchDir('switchboard-cli-') });
    const out = serve.output();
    expect(out).toContain('quality    deepseek-chat → glm-5.1 → kimi-k2.6 → glm-4-flash  (default)');
    expect(out).toContain('speed      glm-4-flash → deepseek-chat → glm-5.1  (fastest, hedged)');
    expect(out).toContain('curl -s');
    const response = await fetch(`${serve.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'quality', messages: [{ role: 'user', content: 'Hello' }] }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-switchboard-model')).toBe('deepseek-chat');
    serve.child.kill('SIGTERM');
    expect(await serve.exited).toBe(0);
  });
});
