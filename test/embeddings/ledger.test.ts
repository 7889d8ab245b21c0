import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { startGateway } from '../../src/gateway.js';
import { MIGRATIONS } from '../../src/ledger/migrations.js';
import { buildReport } from '../../src/ledger/report.js';
import type { Report } from '../../src/ledger/report-types.js';
import { SqliteLedgerStore } from '../../src/ledger/sqlite-store.js';
import { onCleanup } from '../support/engine.js';
import { startEmbeddings } from './setup.js';

const ALL = { sinceMs: 0, untilMs: Number.MAX_SAFE_INTEGER };
const tempDb = () => join(mkdtempSync(join(tmpdir(), 'switchboard-embed-ledger-')), 'ledger.db');

describe('embeddings in the ledger and the report', () => {
  it('records an embeddings request like a chat one, with its operation, tokens and cost', async () => {
    const path = tempDb();
    const { sb } = await startEmbeddings(
      { a: { fault: '503' }, b: {} },
      { search: ['a', 'b'] },
      {},
      {},
      (c) => Object.assign(c, { ledger: { path }, models: { ...c.models, chat: { provider: 'p-b' } } }),
    );
    const result = await sb.embed(
      { model: 'search', input: ['some text here', 'more'] },
      { requestId: 'e1' },
    );
    await sb.chat({ model: 'main', messages: [{ role: 'user', content: 'hi' }] }, { requestId: 'c1' });
    await sb.ledger!.flush();
    const rows = await sb.ledger!.query(ALL);
    const embedRow = rows.requests.find((r) => r.requestId === 'e1');
    expect(embedRow).toMatchObject({
      operation: 'embeddings',
      route: 'search',
      model: 'b',
      outcome: 'success',
      fallbacks: 1,
      promptTokens: result.embedding.usage.prompt_tokens,
      completionTokens: 0,
    });
    expect(embedRow?.costUsd).toBeCloseTo((result.embedding.usage.prompt_tokens * 0.02) / 1e6, 12);
    expect(embedRow?.costUsd).toBe(result.metadata.costUsd);
    expect(rows.requests.find((r) => r.requestId === 'c1')?.operation).toBeUndefined();
    const report = buildReport(rows, { sinceMs: 0, untilMs: Date.now() + 60_000 });
    expect(report.requests).toBe(2);
    expect(report.rescued).toBe(1); // the embeddings request, saved by the fallback
    expect(report.models.b?.answers).toBe(1);
  });

  it('GET /report counts the gateway’s embeddings requests, their rescues, tokens and cost', async () => {
    const path = tempDb();
    const { config } = await startEmbeddings(
      { a: { fault: '502' }, b: {} },
      { search: ['a', 'b'] },
      {},
      {},
      (c) => Object.assign(c, { ledger: { path } }),
    );
    const gateway = await startGateway(config, { logger: false, port: 0 });
    onCleanup(() => gateway.close(1_000));
    const res = await fetch(`${gateway.url}/v1/embeddings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'search', input: ['twelve chars', 'four'] }),
    });
    expect(res.status).toBe(200);
    const { usage } = (await res.json()) as { usage: { prompt_tokens: number } };
    await gateway.switchboard.ledger!.flush();
    const report = (await (await fetch(`${gateway.url}/report?format=json`)).json()) as Report;
    expect(report).toMatchObject({ requests: 1, answered: 1, rescued: 1, upstream_failures_caught: 2 });
    expect(report.tokens).toEqual({ prompt: usage.prompt_tokens, completion: 0 });
    expect(report.cost_usd.answers).toBeCloseTo((usage.prompt_tokens * 0.02) / 1e6, 12);
    expect(report.models.b).toMatchObject({ provider: 'p-b' });
  });

  it('migrates a version-1 file: its rows read as chat requests', async () => {
    const path = tempDb();
    const db = new Database(path);
    db.exec(MIGRATIONS[0]!);
    db.pragma('user_version = 1');
    db.prepare(
      `INSERT INTO requests (at_ms, request_id, route, model, provider, outcome, attempts, attempt_count,
       failed_attempts, fallbacks, retries, hedges, recoveries, latency_ms, ttft_ms, prompt_tokens,
       completion_tokens, cost_usd, wasted_cost_usd, breaker_changed)
       VALUES (1, 'old', 'main', 'a', 'p-a', 'success', '[]', 0, 0, 0, 0, 0, 0, 5, NULL, 1, 1, 0, 0, 0)`,
    ).run();
    db.close();
    const store = SqliteLedgerStore.open(path);
    const rows = await store.query(ALL);
    expect(rows.requests.map((r) => [r.requestId, r.operation])).toEqual([['old', undefined]]);
    await store.close();
  });
});
