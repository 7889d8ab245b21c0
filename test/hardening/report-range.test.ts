import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { type Gateway, startGateway } from '../../src/gateway.js';
import { createSwitchboard } from '../../src/switchboard.js';
import { configFor, onCleanup, startMocks } from '../support/engine.js';

const BIN = resolve(import.meta.dirname, '../../bin/switchboard.js');
const run = promisify(execFile);

/** The `since` values of one family: they read as a period but lie outside what a ledger holds. */
const OUT_OF_RANGE: Array<[string, string]> = [
  ['999999999d', 'reaches back before 1970-01-01'],
  ['0d', 'is an empty period'],
  ['0000-01-01', 'reaches back before 1970-01-01'],
  ['2999-01-01', 'since is in the future'],
  ['2026-02-30', 'cannot read since "2026-02-30"'],
];

describe('out-of-range report options', () => {
  it('GET /report: a 400 invalid_report_option for each, never a 500', async () => {
    const { mocks, close } = await startMocks({ a: {} });
    onCleanup(close);
    const path = join(mkdtempSync(join(tmpdir(), 'switchboard-hardening-')), 'ledger.db');
    const gateway: Gateway = await startGateway(configFor(mocks, { ledger: { path } }), {
      logger: false,
      port: 0,
    });
    onCleanup(() => gateway.close(1_000));
    for (const [since, message] of OUT_OF_RANGE) {
      const response = await fetch(`${gateway.url}/report?since=${encodeURIComponent(since)}`);
      expect(response.status, since).toBe(400);
      const { error } = (await response.json()) as { error: { code: string; message: string } };
      expect(error).toMatchObject({ type: 'invalid_request_error', code: 'invalid_report_option' });
      expect(error.message).toContain(message);
    }
    expect((await fetch(`${gateway.url}/report?since=1h`)).status).toBe(200);
  });

  it('switchboard report --since: one clear line on stderr and exit code 1, no stack trace', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'switchboard-hardening-'));
    const path = join(dir, 'ledger.db');
    const sb = createSwitchboard(
      {
        providers: { p: { base_url: 'http://127.0.0.1:9/v1' } },
        models: { m: { provider: 'p' } },
        ledger: { path },
      },
      { logger: false },
    );
    await sb.close(); // creates the ledger file
    // Three of the family (each run starts a process): the parser's table test covers them all.
    for (const [since, message] of OUT_OF_RANGE.slice(0, 3)) {
      const result = await run(process.execPath, [BIN, 'report', '--ledger', path, '--since', since], {
        cwd: dir,
        env: { PATH: process.env.PATH },
      }).then(
        ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
        (e: { code: number; stdout: string; stderr: string }) => e,
      );
      expect(result.code, since).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).toMatch(/^switchboard report: /);
      expect(result.stderr).toContain(message);
      expect(result.stderr).not.toMatch(/\n\s+at /);
    }
  });
});
