import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const BIN = resolve(import.meta.dirname, '../../bin/switchboard.js');
const run = promisify(execFile);

/** `solo` lives on one provider: when it is down, the route is dark. Its key is not set. */
const CONFIG = `
providers:
  only: { base_url: "https://10.255.255.1/v1", api_key: "\${DRILL_TEST_UNSET_KEY}" }
models:
  only-chat: { provider: only, price: { input: 1, output: 2 } }
routes:
  solo: [only-chat]
circuit_breaker: { failure_threshold: 2, window_ms: 10000, cooldown_ms: 5000 }
timeouts: { attempt_ms: 4000, first_byte_ms: 3000, total_ms: 12000 }
`;

describe('switchboard drill (the built CLI)', () => {
  it('exits 1 when a route falls below --min-availability, with the findings first in markdown', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'switchboard-drill-cli-'));
    const path = join(dir, 'switchboard.yaml');
    writeFileSync(path, CONFIG);
    const args = [BIN, 'drill', '--config', path, '--scenarios', 'down', '--requests', '4'];
    args.push('--max-seconds', '10', '--min-availability', '99', '--format', 'markdown');
    const result = await run(process.execPath, args, { env: { PATH: process.env.PATH } }).then(
      ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
      (error: { code: number; stdout: string; stderr: string }) => error,
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(1);
    expect(result.stdout.startsWith('## Switchboard drill\n\n### Findings\n')).toBe(true);
    expect(result.stdout).toContain('- **risk**: `solo` goes dark when `only` is down');
    expect(result.stdout).toMatch(
      /- \*\*risk\*\*: `solo` answered \d+\.\d % \(\d\/4\) when only answers 503/,
    );
    expect(result.stdout).toContain('### down:only: only answers 503 for 20 s');
    expect(result.stdout).toContain('| route | answered | errors |');
  }, 30_000);
});
