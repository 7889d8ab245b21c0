import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { attempt, request } from '../../test/support/ledger-rows.js';
import { ManualClock } from '../common/manual-clock.js';
import type { ResultMetadata } from '../routing/index.js';
import { EventBus, type SwitchboardEvent } from '../routing/index.js';
import { createLogger } from '../telemetry/logger.js';
import { LedgerRecorder, type LedgerRecorderOptions, LedgerUnavailableError } from './recorder.js';
import type { LedgerQuery, LedgerRow, LedgerRows } from './rows.js';
import { SqliteLedgerStore } from './sqlite-store.js';
import type { LedgerStore } from './store.js';

const DAY_MS = 86_400_000;
const ALL: LedgerQuery = { sinceMs: 0, untilMs: Number.MAX_SAFE_INTEGER };

/** A store in memory that records its calls and can be told to fail. */
class MemoryStore implements LedgerStore {
  rows: LedgerRow[] = [];
  appends = 0;
  failWith: Error | undefined;
  closed = false;

  async append(rows: readonly LedgerRow[]): Promise<void> {
    this.appends++;
    if (this.failWith) throw this.failWith;
    this.rows.push(...rows);
  }

  async query(query: LedgerQuery): Promise<LedgerRows> {
    const inPeriod = this.rows.filter((r) => r.atMs >= query.sinceMs && r.atMs < query.untilMs);
    return {
      requests: inPeriod.flatMap((r) => (r.kind === 'request' ? [r] : [])),
      breakers: inPeriod.flatMap((r) => (r.kind === 'breaker' ? [r] : [])),
      cooldowns: inPeriod.flatMap((r) => (r.kind === 'cooldown' ? [r] : [])),
    };
  }

  async prune(beforeMs: number): Promise<number> {
    const before = this.rows.length;
    this.rows = this.rows.filter((r) => r.atMs >= beforeMs);
    return before - this.rows.length;
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}

function logLines() {
  const lines: Array<{ level: number; msg: string; dropped?: number }> = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { lines, logger: createLogger('info', stream) };
}

const recorders: LedgerRecorder[] = [];
afterEach(async () => {
  for (const r of recorders.splice(0)) await r.close();
});

function setup(overrides: Partial<LedgerRecorderOptions> = {}) {
  const store = new MemoryStore();
  const clock = new ManualClock(100 * DAY_MS);
  const bus = new EventBus();
  const { lines, logger } = logLines();
  const recorder = new LedgerRecorder({ open: () => store, clock, retentionDays: 90, logger, ...overrides });
  recorders.push(recorder);
  recorder.attach(bus);
  return { store, clock, bus, recorder, lines };
}

function meta(overrides: Partial<ResultMetadata> = {}): ResultMetadata {
  return {
    requestId: 'r1',
    route: 'main',
    chain: ['a', 'b'],
    model: 'b',
    provider: 'p-b',
    attempts: [
      {
        model: 'a',
        provider: 'p-a',
        outcome: 'error',
        status: 503,
        errorKind: 'transient',
        errorCode: 'http_503',
        message: 'the provider said something',
        durationMs: 12,
        waitBeforeMs: 0,
      },
      { model: 'b', provider: 'p-b', outcome: 'success', status: 200, durationMs: 30, waitBeforeMs: 0 },
    ],
    skipped: [],
    fallbacks: 1,
    retries: 0,
    hedges: 0,
    recoveries: [],
    latencyMs: 50,
    timeToFirstTokenMs: 20,
    usage: { prompt_tokens: 7, completion_tokens: 3, total_tokens: 10 },
    costUsd: 0.000013,
    wastedCostUsd: 0,
    hedgeCostUsd: 0,
    malformedChunks: 0,
    ...overrides,
  };
}

const succeeded = (m: ResultMetadata): SwitchboardEvent => ({
  type: 'request.succeeded',
  requestId: m.requestId,
  metadata: m,
});

describe('LedgerRecorder', () => {
  it('does no store work while events arrive; one flush writes them in one batch', async () => {
    const { store, bus, recorder } = setup();
    await recorder.flush(); // the open + prune at start
    bus.emit(succeeded(meta({ requestId: 'r1' })));
    bus.emit({
      type: 'attempt.started',
      requestId: 'r2',
      model: 'a',
      provider: 'p-a',
      probe: false,
      retry: 0,
      hedge: false,
    });
    bus.emit({ type: 'model.cooling_down', model: 'a', untilMs: 1, retryAfterMs: 1, requestId: 'r2' });
    bus.emit({
      type: 'request.failed',
      requestId: 'r2',
      code: 'all_models_failed',
      message: 'x',
      metadata: meta({
        requestId: 'r2',
        model: undefined,
        provider: undefined,
        usage: undefined,
        costUsd: 0,
      }),
    });
    expect(store.appends).toBe(0);
    await recorder.flush();
    expect(store.appends).toBe(1);
    expect(store.rows.map((r) => (r.kind === 'request' ? `${r.requestId}:${r.outcome}` : r.kind))).toEqual([
      'r1:success',
      'cooldown',
      'r2:all_models_failed',
    ]);
    await recorder.flush();
    expect(store.appends).toBe(1);
  });

  it('keeps what a report needs and no provider message', async () => {
    const { store, bus, recorder, clock } = setup();
    bus.emit(succeeded(meta()));
    await recorder.flush();
    expect(store.rows).toEqual([
      request(
        [
          attempt('a', {
            outcome: 'error',
            status: 503,
            errorKind: 'transient',
            errorCode: 'http_503',
            durationMs: 12,
          }),
          attempt('b', { durationMs: 30 }),
        ],
        {
          requestId: 'r1',
          atMs: clock.now(),
          latencyMs: 50,
          timeToFirstTokenMs: 20,
          promptTokens: 7,
          completionTokens: 3,
          costUsd: 0.000013,
        },
      ),
    ]);
    expect(JSON.stringify(store.rows)).not.toContain('the provider said');
  });

  it('marks a request during which a breaker of its chain changed state', async () => {
    const { store, bus, recorder, clock } = setup();
    const transition = {
      type: 'breaker.transition',
      from: 'closed',
      to: 'open',
      cooldownMs: 1,
      reason: 'x',
    } as const;
    bus.emit({ ...transition, model: 'a' });
    await clock.advance(100);
    bus.emit(succeeded(meta({ requestId: 'during', latencyMs: 150 })));
    await recorder.flush();
    bus.emit(succeeded(meta({ requestId: 'after', latencyMs: 50 })));
    bus.emit({ ...transition, model: 'elsewhere' });
    bus.emit(succeeded(meta({ requestId: 'other-model', latencyMs: 50 })));
    await recorder.flush();
    const changed = Object.fromEntries(
      store.rows.flatMap((r) => (r.kind === 'request' ? [[r.requestId, r.breakerChanged]] : [])),
    );
    expect(changed).toEqual({ during: true, after: false, 'other-model': false });
    expect(store.rows.filter((r) => r.kind === 'breaker')).toHaveLength(2);
  });

  it('records a breaker change learnt from another instance only where it happened, but still marks requests', async () => {
    const { store, bus, recorder, clock } = setup();
    bus.emit({
      type: 'breaker.transition',
      model: 'a',
      from: 'closed',
      to: 'open',
      cooldownMs: 1,
      reason: 'x',
      remote: true,
    });
    await clock.advance(100);
    bus.emit(succeeded(meta({ requestId: 'during', latencyMs: 150 })));
    await recorder.flush();
    expect(store.rows.filter((r) => r.kind === 'breaker')).toHaveLength(0);
    expect(store.rows.find((r) => r.kind === 'request')).toMatchObject({
      requestId: 'during',
      breakerChanged: true,
    });
  });

  it('a store that fails: rows dropped and counted, logged once, and recording resumes', async () => {
    const { store, bus, recorder, lines } = setup();
    await recorder.flush();
    store.failWith = new Error('SQLITE_FULL: database or disk is full');
    for (const id of ['a', 'b']) bus.emit(succeeded(meta({ requestId: id })));
    await recorder.flush();
    bus.emit(succeeded(meta({ requestId: 'c' })));
    await recorder.flush();
    expect(recorder.droppedRecords).toBe(3);
    const errors = lines.filter((l) => l.level === 50);
    expect(errors).toHaveLength(1);
    expect(errors[0]?.msg).toMatch(/^LEDGER UNAVAILABLE: .*disk is full.*Requests are still served/);
    store.failWith = undefined;
    bus.emit(succeeded(meta({ requestId: 'd' })));
    await recorder.flush();
    expect(store.rows.map((r) => (r.kind === 'request' ? r.requestId : ''))).toEqual(['d']);
    expect(lines.at(-1)).toMatchObject({ level: 40, dropped: 3 });
    expect(recorder.droppedRecords).toBe(3);
  });

  it('a store that cannot be opened: rows dropped, one log line, reopened later', async () => {
    const store = new MemoryStore();
    let broken = true;
    const { bus, recorder, lines } = setup({
      open: () => {
        if (broken) throw new Error('unable to open database file');
        return store;
      },
      reopenIntervalMs: 0,
    });
    bus.emit(succeeded(meta()));
    await recorder.flush();
    expect(recorder.droppedRecords).toBe(1);
    await expect(recorder.query(ALL)).rejects.toBeInstanceOf(LedgerUnavailableError);
    expect(lines.filter((l) => l.level === 50)).toHaveLength(1);
    broken = false;
    bus.emit(succeeded(meta({ requestId: 'later' })));
    expect((await recorder.query(ALL)).requests.map((r) => r.requestId)).toEqual(['later']);
  });

  it('too many waiting rows: the rest are dropped rather than held', async () => {
    const { store, bus, recorder } = setup({ maxPendingRows: 2, maxBatchRows: 10 });
    await recorder.flush();
    for (const id of ['a', 'b', 'c']) bus.emit(succeeded(meta({ requestId: id })));
    expect(recorder.droppedRecords).toBe(1);
    await recorder.flush();
    expect(store.rows).toHaveLength(2);
  });

  it('a full batch is written on the next turn of the event loop, without waiting for the timer', async () => {
    const { store, bus, recorder } = setup({ maxBatchRows: 2, flushIntervalMs: 60_000 });
    await recorder.flush();
    bus.emit(succeeded(meta({ requestId: 'a' })));
    bus.emit(succeeded(meta({ requestId: 'b' })));
    await expect.poll(() => store.rows.length).toBe(2);
  });

  it('prunes rows past the retention on open and when asked, by the injected clock', async () => {
    const store = new MemoryStore();
    const now = 100 * DAY_MS;
    store.rows = [
      request([attempt('a')], { atMs: now - 91 * DAY_MS }),
      request([attempt('a')], { atMs: now - 89 * DAY_MS }),
    ];
    const { recorder, clock } = setup({ open: () => store });
    await recorder.flush();
    expect(store.rows.map((r) => r.atMs)).toEqual([now - 89 * DAY_MS]);
    await clock.advance(2 * DAY_MS);
    expect(await recorder.prune()).toBe(1);
    expect(store.rows).toEqual([]);
  });

  it('close writes what waits, closes the store and ignores later events', async () => {
    const { store, bus, recorder } = setup();
    bus.emit(succeeded(meta()));
    await recorder.close();
    expect(store.rows).toHaveLength(1);
    expect(store.closed).toBe(true);
    bus.emit(succeeded(meta({ requestId: 'late' })));
    await recorder.flush();
    expect(store.rows).toHaveLength(1);
  });

  it('writes to a real SQLite file', async () => {
    const store = SqliteLedgerStore.open(':memory:');
    const { bus, recorder } = setup({ open: () => store });
    bus.emit(succeeded(meta()));
    const rows = await recorder.query(ALL);
    expect(rows.requests.map((r) => [r.requestId, r.model, r.attempts.length])).toEqual([['r1', 'b', 2]]);
  });
});
