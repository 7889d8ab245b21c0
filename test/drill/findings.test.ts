import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/index.js';
import {
  DrillOptionError,
  PromptSourceError,
  runDrill,
  ScenarioSelectionError,
} from '../../src/drill/index.js';
import type { RequestRow } from '../../src/ledger/index.js';
import { SqliteLedgerStore } from '../../src/ledger/index.js';

const policies = {
  circuit_breaker: { failure_threshold: 2, window_ms: 10_000, cooldown_ms: 5_000 },
  timeouts: { attempt_ms: 4_000, first_byte_ms: 3_000, total_ms: 12_000 },
};

/** `long` takes 200k-token prompts; when its provider is down, only an 8k window remains. */
const WINDOW_HOLE = {
  providers: { big: { base_url: 'https://big.invalid/v1' }, small: { base_url: 'https://small.invalid/v1' } },
  models: {
    'big-model': { provider: 'big', context_window: 200_000, price: { input: 1, output: 2 } },
    'small-model': { provider: 'small', context_window: 8_000, price: { input: 1, output: 2 } },
  },
  routes: { long: ['big-model', 'small-model'] },
  ...policies,
};

/** Two models of `main` on one provider, and a fallback at 20× the primary's price. */
const ONE_PROVIDER_TWICE = {
  providers: {
    shared: { base_url: 'https://shared.invalid/v1' },
    other: { base_url: 'https://other.invalid/v1' },
  },
  models: {
    'cheap-a': { provider: 'shared', price: { input: 0.1, output: 0.2 } },
    'cheap-b': { provider: 'shared', price: { input: 0.1, output: 0.2 } },
    dear: { provider: 'other', price: { input: 2, output: 4 } },
  },
  routes: { main: ['cheap-a', 'cheap-b', 'dear'] },
  ...policies,
};

/** A recorded request of the route `long` with this prompt size (what the drill reads of it). */
function recorded(promptTokens: number, i: number): RequestRow {
  return {
    kind: 'request',
    atMs: 1_000 + i,
    requestId: `r-${i}`,
    route: 'long',
    model: 'big-model',
    provider: 'big',
    outcome: 'success',
    attempts: [],
    fallbacks: 0,
    retries: 0,
    hedges: 0,
    recoveries: 0,
    latencyMs: 100,
    timeToFirstTokenMs: null,
    promptTokens,
    completionTokens: 20,
    costUsd: 0,
    wastedCostUsd: 0,
    breakerChanged: false,
  };
}

async function ledgerWith(promptTokens: number[]): Promise<string> {
  const path = join(mkdtempSync(join(tmpdir(), 'switchboard-drill-')), 'ledger.db');
  const store = SqliteLedgerStore.open(path);
  await store.append(promptTokens.map(recorded));
  await store.close();
  return path;
}

const texts = (findings: Array<{ kind: string; text: string }>, kind: string) =>
  findings.filter((f) => f.kind === kind).map((f) => f.text);

describe('drill findings', () => {
  it('a context-window hole: the share of recorded prompts no remaining model can take', async () => {
    // 3 of 8 recorded prompts exceed the 8k window that is left when `big` is down.
    const ledger = await ledgerWith([500, 1_000, 2_000, 4_000, 7_000, 9_000, 50_000, 150_000]);
    const report = await runDrill({
      config: WINDOW_HOLE,
      env: {},
      scenarios: 'baseline',
      requests: 4,
      maxSeconds: 8,
      fromLedger: ledger,
    });
    expect(report.prompts).toEqual({ source: 'ledger', count: 8 });
    expect(texts(report.findings, 'context-window')).toEqual([
      '`long` with `big` down: 38 % of recorded prompts exceed every remaining window (largest 8,000 tokens)',
    ]);
  });

  it('two models of one route on one provider, and a fallback many times dearer than the primary', async () => {
    const report = await runDrill({
      config: ONE_PROVIDER_TWICE,
      env: {},
      scenarios: 'baseline',
      requests: 4,
      maxSeconds: 8,
    });
    expect(texts(report.findings, 'shared-provider')).toEqual([
      '`main`: `cheap-a` and `cheap-b` are both on `shared`, so one outage of `shared` removes both',
    ]);
    expect(texts(report.findings, 'costly-fallback')[0]).toMatch(
      /^`main`: its fallback `dear` costs 20\.0× its primary `cheap-a` per request/,
    );
    expect(texts(report.findings, 'dark-pair')).toEqual([
      '`main` goes dark when `shared` and `other` are down together: every model of the route is on one of them',
    ]);
    expect(texts(report.findings, 'context-window')).toEqual([]);
  });

  it('clear errors: a broken config, an unknown route or scenario, an empty ledger', async () => {
    await expect(runDrill({ config: { providers: {}, routes: { x: ['nope'] } }, env: {} })).rejects.toThrow(
      ConfigError,
    );
    await expect(runDrill({ config: WINDOW_HOLE, env: {}, routes: ['longg'] })).rejects.toThrow(
      new DrillOptionError('unknown route "longg": the config has long'),
    );
    await expect(runDrill({ config: WINDOW_HOLE, env: {}, scenarios: 'down,meltdown' })).rejects.toThrow(
      ScenarioSelectionError,
    );
    await expect(runDrill({ config: WINDOW_HOLE, env: {}, scenarios: 'down,meltdown' })).rejects.toThrow(
      /unknown scenario "meltdown": choose kinds \(baseline, down, hang/,
    );
    await expect(
      runDrill({ config: WINDOW_HOLE, env: {}, fromLedger: await ledgerWith([]) }),
    ).rejects.toThrow(PromptSourceError);
    const notALedger = join(mkdtempSync(join(tmpdir(), 'switchboard-drill-')), 'notes.txt');
    writeFileSync(notALedger, 'not a database, just text that is long enough to be read as one');
    await expect(runDrill({ config: WINDOW_HOLE, env: {}, fromLedger: notALedger })).rejects.toThrow(
      /^cannot read the ledger .*notes\.txt: /,
    );
    await expect(
      runDrill({ config: WINDOW_HOLE, env: {}, fromLedger: '/nonexistent/ledger.db' }),
    ).rejects.toThrow(PromptSourceError);
  });
});
