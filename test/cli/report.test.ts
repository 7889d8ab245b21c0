import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Report } from '../../src/ledger/index.js';
import { createSwitchboard } from '../../src/switchboard.js';
import { runCli, scratchDir, spawnServe } from '../support/cli.js';

const report = (args: string[], cwd: string) => runCli(['report', ...args], { cwd });
const scratch = () => scratchDir('switchboard-report-');

describe('switchboard report', () => {
  it('reads the ledger the demo gateway wrote to ./switchboard.db', async () => {
    const cwd = scratch();
    const serve = await spawnServe([], { cwd });
    expect(serve.output()).toContain('Ledger: ./switchboard.db');
    for (let i = 0; i < 2; i++) {
      const response = await fetch(`${serve.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'quality', messages: [{ role: 'user', content: 'Hello' }] }),
      });
      expect(response.status).toBe(200);
    }
    serve.child.kill('SIGTERM');
    expect(await serve.exited).toBe(0);

    const json = await report(['--format', 'json', '--baseline', 'gpt-4o=2.5/10', '--since', '1h'], cwd);
    expect(json.code).toBe(0);
    const summary = JSON.parse(json.stdout) as Report;
    expect(summary).toMatchObject({ requests: 2, answered: 2, errors: { total: 0 } });
    expect(summary.models['deepseek-chat']).toMatchObject({ answers: 2, provider: 'deepseek-sim' });
    expect(summary.baseline).toMatchObject({ model: 'gpt-4o' });
    const table = await report(['--ledger', join(cwd, 'switchboard.db')], tmpdir());
    expect(table.stdout).toMatch(/^Requests +2$/m);
    expect(table.stdout).toContain('Answers by model');
  });

  it('explains a missing ledger, a ledger that is off, and a bad option', async () => {
    const cwd = scratch();
    const missing = await report([], cwd);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('No ledger at ./switchboard.db');
    const config = join(cwd, 'switchboard.yaml');
    writeFileSync(
      config,
      'providers: { p: { base_url: "http://127.0.0.1:9/v1" } }\nmodels: { m: { provider: p } }\nledger: off\n',
    );
    const off = await report(['--config', config], cwd);
    expect(off.code).toBe(1);
    expect(off.stderr).toContain('sets `ledger: off`');
    const bad = await report(['--since', 'last tuesday'], cwd);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('cannot read since "last tuesday"');
  });

  it('takes the ledger path and baseline prices from --config', async () => {
    const cwd = scratch();
    const config = join(cwd, 'switchboard.yaml');
    writeFileSync(
      config,
      [
        'providers: { p: { base_url: "http://127.0.0.1:9/v1" } }',
        'models: { m: { provider: p, price: { input: 2, output: 8 } } }',
        `ledger: { path: ${join(cwd, 'custom.db')} }`,
      ].join('\n'),
    );
    const sb = createSwitchboard(config, { logger: false });
    await sb.close(); // creates the file
    const result = await report(['--config', config, '--format', 'json', '--baseline', 'm'], cwd);
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toMatchObject({
      requests: 0,
      baseline: { model: 'm', price: { input: 2, output: 8 } },
    });
  });
});
