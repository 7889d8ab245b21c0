import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/common/manual-clock.js';
import { startGateway } from '../../src/gateway.js';
import { formatReport, readReport } from '../../src/ledger/index.js';
import type { SwitchboardEvent } from '../../src/routing/events.js';
import { configFor, hello, onCleanup, startEngine, startMocks } from '../support/engine.js';

/** The issue's breaker (threshold 3, cooldown 30 s, doubling to 300 s), no retries. */
const issueBreaker = {
  retry: { max_retries: 0 },
  circuit_breaker: { failure_threshold: 3, window_ms: 30_000, cooldown_ms: 30_000, max_cooldown_ms: 300_000 },
  timeouts: { connect_ms: 1_000, first_byte_ms: 2_000, attempt_ms: 5_000, total_ms: 60_000 },
};

const probes = (events: SwitchboardEvent[]) => events.filter((e) => e.type === 'probe.started').length;
const settled = (events: SwitchboardEvent[]) =>
  events.filter((e) => e.type === 'probe.succeeded' || e.type === 'probe.failed').length;

/**
 * Moves the clock in steps of `stepMs`, letting every probe the timers started reach its verdict
 * (probes are real HTTP calls to the simulated provider).
 */
async function advance(clock: ManualClock, events: SwitchboardEvent[], ms: number, stepMs = 1_000) {
  for (let done = 0; done < ms; done += stepMs) {
    await clock.advance(Math.min(stepMs, ms - done));
    await expect.poll(() => settled(events) === probes(events), { timeout: 5_000, interval: 5 }).toBe(true);
  }
}

/**
 * The issue's scenario: the primary answers 503 for `outageMs`, then is healthy; one request every
 * 4 s. Returns when the first user request was served by the primary again (ms after the heal), and
 * how many probes were sent while it was down.
 */
async function outageThenHeal(outageMs: number, overrides: Record<string, unknown> = {}) {
  const clock = new ManualClock(0);
  const { sb, mocks, events, count } = await startEngine(
    { a: '503', b: 'ok' },
    { ...issueBreaker, ...overrides },
    { clock },
  );
  let probesDuringOutage = 0;
  let backAfterMs: number | undefined;
  for (let t = 0; t <= outageMs + 80_000; t += 4_000) {
    if (t === outageMs) {
      probesDuringOutage = probes(events);
      mocks.a!.setFault('ok');
    }
    const { metadata } = await sb.chat(hello());
    if (t >= outageMs && metadata.model === 'a' && backAfterMs === undefined) backAfterMs = t - outageMs;
    await advance(clock, events, 4_000);
  }
  return { sb, events, count, probesDuringOutage, backAfterMs };
}

describe('active health probes', () => {
  it('a 60 s outage: traffic is back within 30 s of the heal, with a bounded number of probes', async () => {
    const { sb, events, probesDuringOutage, backAfterMs } = await outageThenHeal(60_000);
    expect(backAfterMs).toBeDefined();
    expect(backAfterMs!).toBeLessThanOrEqual(30_000);
    // The breaker opened at the third failure (t = 8 s): one probe per 10 s interval after that.
    expect(probesDuringOutage).toBeGreaterThan(0);
    expect(probesDuringOutage).toBeLessThanOrEqual(6);
    expect(sb.health.breaker('a').state).toBe('closed');
    // Every user request during the outage after the trip was answered by b without touching a.
    const failedProbes = events.filter((e) => e.type === 'probe.failed');
    expect(failedProbes.every((e) => e.type === 'probe.failed' && e.status === 503)).toBe(true);
    const close = events.find((e) => e.type === 'breaker.transition' && e.to === 'closed');
    expect(close).toMatchObject({
      from: 'open',
      reason: expect.stringMatching(/^health probe succeeded \(\d+ probes?, \$/),
    });
    // No user request paid for a probe: none of a's attempts was a half-open probe.
    const userProbes = events.filter((e) => e.type === 'attempt.started' && e.model === 'a' && e.probe);
    expect(userProbes).toEqual([]);
  });

  it('a 5-minute outage: at most one probe per interval, and the probe has a known cost', async () => {
    const { events, probesDuringOutage, backAfterMs, count } = await outageThenHeal(300_000);
    expect(backAfterMs!).toBeLessThanOrEqual(30_000);
    // Trip at 8 s; probes at 18 s, 28 s, … 298 s: 29 of them, never more than one per 10 s.
    expect(probesDuringOutage).toBeLessThanOrEqual(30);
    expect(probesDuringOutage).toBeGreaterThanOrEqual(25);
    const succeeded = events.find((e) => e.type === 'probe.succeeded');
    // The simulated provider bills the probe's tokens; the model's price is 1 / 2 USD per 1M tokens.
    expect(succeeded).toMatchObject({ model: 'a', costUsd: expect.any(Number) });
    expect((succeeded as { costUsd: number }).costUsd).toBeGreaterThan(0);
    expect((succeeded as { costUsd: number }).costUsd).toBeLessThan(0.0001);
    // The simulated provider saw the three failed user requests, the probes, and the later traffic.
    expect(count('a')).toBeGreaterThanOrEqual(3 + probesDuringOutage + 1);
  });

  it('carries no user content: the probe is a one-token "ping"', async () => {
    const clock = new ManualClock(0);
    const { sb, mocks, events } = await startEngine(
      { a: '503', b: 'ok' },
      { ...issueBreaker, circuit_breaker: { failure_threshold: 1 } },
      { clock },
    );
    await sb.chat(hello('main', { messages: [{ role: 'user', content: 'a secret question' }] }));
    mocks.a!.setFault('ok');
    await advance(clock, events, 10_000);
    const log = mocks.a!.stats().log;
    expect(log).toHaveLength(2);
    const body = JSON.stringify(log[1]);
    expect(body).not.toContain('secret');
    expect(sb.health.breaker('a').state).toBe('closed');
  });

  it('off for a model (health_probe.enabled: false): no probe, the capped cooldown brings it back', async () => {
    const { events, probesDuringOutage, backAfterMs } = await outageThenHeal(60_000, {
      health_probe: { enabled: false },
      circuit_breaker: {
        failure_threshold: 3,
        window_ms: 30_000,
        cooldown_ms: 30_000,
        max_cooldown_ms: 30_000,
      },
    });
    expect(probesDuringOutage).toBe(0);
    expect(probes(events)).toBe(0);
    expect(backAfterMs!).toBeLessThanOrEqual(30_000);
  });

  it('stops on close(): no timer fires afterwards', async () => {
    const clock = new ManualClock(0);
    const { sb, events, count } = await startEngine(
      { a: '503', b: 'ok' },
      { ...issueBreaker, circuit_breaker: { failure_threshold: 1 } },
      { clock },
    );
    await sb.chat(hello());
    expect(sb.health.breaker('a').state).toBe('open');
    await sb.close();
    await clock.advance(60_000);
    expect(probes(events)).toBe(0);
    expect(count('a')).toBe(1);
  });
});

describe('outage spans', () => {
  it('the gateway shows the outage, its probes and their cost in /status, /metrics and the report', async () => {
    const { mocks, close } = await startMocks({ a: { fault: '503' }, b: {} });
    onCleanup(close);
    const t0 = Date.UTC(2026, 0, 5, 12, 0, 0);
    const clock = new ManualClock(t0);
    const ledgerPath = join(mkdtempSync(join(tmpdir(), 'switchboard-outage-')), 'ledger.db');
    const gateway = await startGateway(
      configFor(mocks, { ...issueBreaker, ledger: { path: ledgerPath }, server: { port: 0 } }),
      { logger: false, port: 0, clock },
    );
    onCleanup(() => gateway.close(1_000));
    const events: SwitchboardEvent[] = [];
    gateway.switchboard.events.on((e) => events.push(e));
    const ask = () =>
      fetch(`${gateway.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(hello()),
      }).then((r) => r.headers.get('x-switchboard-model'));

    for (let t = 0; t <= 100_000; t += 4_000) {
      if (t === 60_000) mocks.a!.setFault('ok');
      await ask();
      await advance(clock, events, 4_000);
    }
    const status = (await (await fetch(`${gateway.url}/status`)).json()) as {
      models: Record<string, { recovery: Record<string, unknown> }>;
    };
    const recovery = status.models.a!.recovery as {
      health_probe: { sent: number; failed: number; cost_usd: number };
      outages: unknown[];
    };
    expect(recovery.health_probe.sent).toBe(probes(events));
    expect(recovery.health_probe.failed).toBe(probes(events) - 1);
    expect(recovery.health_probe.cost_usd).toBeGreaterThan(0);
    const iso = (s: number) => new Date(t0 + s * 1_000).toISOString();
    // Down at the first 503 (t = 0), detected at the third (t = 8 s), closed by the probe at 68 s,
    // and the user request of 68 s was answered by a.
    expect(recovery.outages).toEqual([
      { down_at: iso(0), detected_at: iso(8), recovered_at: iso(68), traffic_back_at: iso(68) },
    ]);

    const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
    expect(metrics).toMatch(/switchboard_health_probes_total\{model="a",outcome="failed"\} 5/);
    expect(metrics).toMatch(/switchboard_health_probes_total\{model="a",outcome="succeeded"\} 1/);
    expect(metrics).toMatch(/switchboard_health_probe_cost_usd_total\{model="a"\} \d/);

    await gateway.switchboard.ledger!.flush();
    const report = await readReport(gateway.switchboard.ledger!, { sinceMs: t0 - 1, untilMs: t0 + 200_000 });
    expect(report.outages).toEqual([
      {
        model: 'a',
        down_at: iso(0),
        detected_at: iso(8),
        recovered_at: iso(68),
        traffic_back_at: iso(68),
        detection_ms: 8_000,
        return_ms: 0,
        outage_ms: 68_000,
      },
    ]);
    const view = formatReport(report, 'table');
    expect(view).toContain('Outages (UTC)');
  });
});
