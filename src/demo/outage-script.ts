import type { Clock } from '../common/clock.js';

/** One moment of the staged outage: faults to set on simulated providers, and what to tell the viewer. */
export interface OutageStep {
  /** From the start of the cycle. */
  atMs: number;
  /** Provider name → fault spec (`'503'`, `'429:4'`, `'stream-cut:4'`, `'ok'`). */
  faults: Readonly<Record<string, string>>;
  say: string;
}

/** One minute of trouble on the demo's simulated providers, then a quiet spell, then it starts again. */
export const OUTAGE_CYCLE_MS = 70_000;

/**
 * The staged outage of `switchboard demo`: the primary of `quality` is rate-limited, then down (its
 * breaker opens and traffic moves), then healed (the next probe closes it and traffic returns); then
 * the primary of `speed` and `cheapest` cuts its streams mid-answer (they recover on the next model).
 * The demo's breaker cooldown is short (5 s) so the return shows within the minute.
 */
export const OUTAGE_SCRIPT: readonly OutageStep[] = [
  {
    atMs: 0,
    faults: { 'deepseek-sim': 'ok', 'zhipu-sim': 'ok', 'moonshot-sim': 'ok', 'zhipu-flash-sim': 'ok' },
    say: 'All four simulated providers are healthy: every route answers from its first model.',
  },
  {
    atMs: 8_000,
    faults: { 'deepseek-sim': '429:4' },
    say: 'deepseek-sim starts rate-limiting (429, Retry-After 4 s): deepseek-chat cools down, requests fall back to glm-5.1.',
  },
  {
    atMs: 16_000,
    faults: { 'deepseek-sim': '503' },
    say: "deepseek-sim is down (503): deepseek-chat's breaker opens after 3 failures and every route skips it.",
  },
  {
    atMs: 32_000,
    faults: { 'deepseek-sim': 'ok' },
    say: "deepseek-sim is healed: the breaker's next probe succeeds, it closes, and traffic returns to deepseek-chat.",
  },
  {
    atMs: 44_000,
    faults: { 'zhipu-flash-sim': 'stream-cut:4' },
    say: 'zhipu-flash-sim cuts streams after 4 chunks: glm-4-flash streams break mid-answer and another model continues them.',
  },
  {
    atMs: 54_000,
    faults: { 'zhipu-flash-sim': 'ok' },
    say: 'zhipu-flash-sim streams whole answers again. Quiet until the next round.',
  },
];

export interface OutageRunOptions {
  clock: Clock;
  /** Sets a fault on one simulated provider. */
  apply(provider: string, fault: string): void;
  /** Tells the viewer what is happening (`cycle` counts from 1). */
  say(step: OutageStep, cycle: number): void;
  signal: AbortSignal;
  /** Start again after each cycle (default true); false: one cycle, then every provider healed. */
  loop?: boolean;
  steps?: readonly OutageStep[];
  cycleMs?: number;
}

/**
 * Plays the script on the clock until `signal` aborts (or after one cycle without `loop`); resolves,
 * never rejects, on abort. Steps fire at their `atMs` from each cycle's start, whatever the faults'
 * effects took.
 */
export async function runOutageScript(options: OutageRunOptions): Promise<void> {
  const { clock, signal } = options;
  const steps = [...(options.steps ?? OUTAGE_SCRIPT)].sort((a, b) => a.atMs - b.atMs);
  const cycleMs = options.cycleMs ?? OUTAGE_CYCLE_MS;
  const loop = options.loop ?? true;
  try {
    for (let cycle = 1; ; cycle++) {
      const startMs = clock.now();
      for (const step of steps) {
        await clock.sleep(startMs + step.atMs - clock.now(), signal);
        for (const [provider, fault] of Object.entries(step.faults)) options.apply(provider, fault);
        options.say(step, cycle);
      }
      await clock.sleep(startMs + cycleMs - clock.now(), signal);
      if (!loop) return;
    }
  } catch (error) {
    if (signal.aborted) return;
    throw error;
  }
}
