import { describe, expect, it } from 'vitest';
import { ManualClock } from '../common/manual-clock.js';
import { OUTAGE_CYCLE_MS, OUTAGE_SCRIPT, type OutageStep, runOutageScript } from './outage-script.js';
import { runTraffic } from './traffic.js';

const STEPS: OutageStep[] = [
  { atMs: 0, faults: { a: 'ok', b: 'ok' }, say: 'healthy' },
  { atMs: 5_000, faults: { a: '503' }, say: 'a down' },
  { atMs: 12_000, faults: { a: 'ok' }, say: 'a healed' },
];

function start(options: { loop?: boolean } = {}) {
  const clock = new ManualClock(1_000_000);
  const applied: string[] = [];
  const said: string[] = [];
  const abort = new AbortController();
  const done = runOutageScript({
    clock,
    signal: abort.signal,
    steps: STEPS,
    cycleMs: 20_000,
    apply: (provider, fault) => applied.push(`${clock.now() - 1_000_000} ${provider}=${fault}`),
    say: (step, cycle) => said.push(`${cycle}: ${step.say}`),
    ...options,
  });
  return { clock, applied, said, abort, done };
}

describe('the staged outage', () => {
  it('sets each fault at its time and says what happens', async () => {
    const { clock, applied, said, abort, done } = start();
    await clock.advance(0);
    expect(applied).toEqual(['0 a=ok', '0 b=ok']);
    await clock.advance(4_999);
    expect(said).toEqual(['1: healthy']);
    await clock.advance(1);
    expect(applied.at(-1)).toBe('5000 a=503');
    await clock.advance(7_000);
    expect(said).toEqual(['1: healthy', '1: a down', '1: a healed']);
    abort.abort();
    await done;
  });

  it('starts again after each cycle, counting the rounds', async () => {
    const { clock, applied, said, abort, done } = start();
    await clock.advance(20_000);
    expect(said.at(-1)).toBe('2: healthy');
    expect(applied.at(-1)).toBe('20000 b=ok');
    await clock.advance(5_000);
    expect(said.at(-1)).toBe('2: a down');
    abort.abort();
    await done;
    expect(clock.pendingSleeps()).toBe(0);
  });

  it('without loop, plays one cycle and resolves', async () => {
    const { clock, said, done } = start({ loop: false });
    await clock.advance(20_000);
    await done;
    expect(said).toEqual(['1: healthy', '1: a down', '1: a healed']);
    expect(clock.pendingSleeps()).toBe(0);
  });

  it('resolves (never rejects) when stopped mid-cycle', async () => {
    const { clock, said, abort, done } = start();
    await clock.advance(6_000);
    abort.abort();
    await expect(done).resolves.toBeUndefined();
    await clock.advance(30_000);
    expect(said).toEqual(['1: healthy', '1: a down']);
  });

  it('the demo script: rate limit, down, healed, streams cut, healed, all within one cycle', () => {
    const primary = OUTAGE_SCRIPT.filter((s) => s.faults['deepseek-sim'] !== undefined).map(
      (s) => s.faults['deepseek-sim'],
    );
    expect(primary).toEqual(['ok', '429:4', '503', 'ok']);
    expect(OUTAGE_SCRIPT.some((s) => Object.values(s.faults).some((f) => f.startsWith('stream-cut:')))).toBe(
      true,
    );
    const times = OUTAGE_SCRIPT.map((s) => s.atMs);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(Math.max(...times)).toBeLessThan(OUTAGE_CYCLE_MS);
    // Every fault set is healed again before the cycle ends.
    const last = new Map<string, string>();
    for (const s of OUTAGE_SCRIPT) for (const [p, f] of Object.entries(s.faults)) last.set(p, f);
    expect([...last.values()].every((f) => f === 'ok')).toBe(true);
  });
});

describe('demo traffic', () => {
  it('refuses to send anywhere but loopback', async () => {
    await expect(
      runTraffic({
        baseUrl: 'http://example.com:8787',
        routes: ['quality'],
        clock: new ManualClock(),
        signal: new AbortController().signal,
      }),
    ).rejects.toThrow(/loopback only/);
  });
});
