import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { SqliteLedgerStore } from '../../src/ledger/sqlite-store.js';

const run = promisify(execFile);
const STORE = resolve(import.meta.dirname, '../../dist/ledger/sqlite-store.js');

describe('one new ledger file opened by several processes at once (serve --workers N)', () => {
  it('is migrated once; every process opens it', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'switchboard-ledger-')), 'ledger.db');
    const script = `const { SqliteLedgerStore } = await import(${JSON.stringify(STORE)});
      const store = SqliteLedgerStore.open(${JSON.stringify(path)});
      await store.close();
      process.stdout.write('opened');`;
    const results = await Promise.all(
      Array.from({ length: 6 }, () => run(process.execPath, ['--input-type=module', '-e', script])),
    );
    expect(results.map((r) => r.stdout)).toEqual(Array(6).fill('opened'));
    const store = SqliteLedgerStore.open(path, { create: false });
    expect((await store.query({ sinceMs: 0, untilMs: 1 })).requests).toEqual([]);
    await store.close();
  });
});
