import type { Clock } from '../common/clock.js';
import type { AbortSignalLike } from '../common/linked-abort.js';
import { TimerQueue } from './timer-queue.js';

/** Real ms between ticks. */
const TICK_MS = 4;

export interface PacedClockOptions {
  /** Simulated ms per real ms while the process keeps up. */
  speedup: number;
  /**
   * The most simulated time one tick may add (default 100 ms): when the process is starved of CPU
   * (a loaded CI machine), simulated time slows down instead of leaping past timeouts that real
   * work never had the chance to beat.
   */
  maxStepMs?: number;
  /** Real ms, monotonic (default performance.now). */
  realNow?: () => number;
  /** Simulated epoch ms at the start (default: the real epoch now). */
  startMs?: number;
}

/**
 * Simulated time for a drill: a ManualClock that a real ticker moves forward `speedup` times faster
 * than real time, at most `maxStepMs` per tick. Configured durations (a 30 s breaker cooldown, a
 * 60 s attempt timeout) keep their meaning in simulated time, timers fire in due order with pending
 * work run between them, and a drill takes a fraction of the time.
 */
export class PacedClock implements Clock {
  readonly speedup: number;
  readonly startMs: number;
  readonly #maxStepMs: number;
  readonly #realNow: () => number;
  readonly #timers = new TimerQueue();
  #nowMs: number;
  #advancing = false;
  #lastRealMs: number;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #running = false;

  constructor(options: PacedClockOptions) {
    const { speedup } = options;
    if (!Number.isFinite(speedup) || speedup < 1)
      throw new RangeError(`a paced clock needs a finite speedup >= 1, got ${speedup}`);
    this.speedup = speedup;
    this.#maxStepMs = options.maxStepMs ?? 100;
    this.#realNow = options.realNow ?? (() => performance.now());
    this.startMs = options.startMs ?? Math.floor(performance.timeOrigin + performance.now());
    this.#nowMs = this.startMs;
    this.#lastRealMs = this.#realNow();
  }

  now(): number {
    return this.#nowMs;
  }

  /** Simulated ms since the start. */
  elapsedMs(): number {
    return this.#nowMs - this.startMs;
  }

  sleep(ms: number, signal?: AbortSignalLike): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (!(ms > 0)) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        cancel();
        reject(signal?.reason);
      };
      const cancel = this.setTimer(ms, () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      });
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  setTimer(ms: number, callback: () => void): () => void {
    return this.#timers.add(this.#nowMs + Math.max(0, ms), callback);
  }

  /** Moves simulated time by the real time since the last tick × speedup, capped at maxStepMs. */
  async tick(): Promise<void> {
    const real = this.#realNow();
    const stepMs = Math.min((real - this.#lastRealMs) * this.speedup, this.#maxStepMs);
    this.#lastRealMs = real;
    if (stepMs > 0) await this.#advance(stepMs);
  }

  /**
   * Fires the timers due within `ms`, in due order, letting pending work run after each (so a timer
   * set by a woken task fires in the same advance when it falls inside it); then moves to the end.
   */
  async #advance(ms: number): Promise<void> {
    if (this.#advancing) return;
    this.#advancing = true;
    try {
      const targetMs = this.#nowMs + ms;
      for (;;) {
        const due = this.#timers.popDue(targetMs);
        if (due === undefined) break;
        this.#nowMs = Math.max(this.#nowMs, due.dueMs);
        try {
          due.callback();
        } catch (error) {
          queueMicrotask(() => {
            throw error; // as a real timer's callback would: an uncaught exception, not a stuck clock
          });
        }
        await new Promise((resolve) => setImmediate(resolve));
      }
      this.#nowMs = Math.max(this.#nowMs, targetMs);
    } finally {
      this.#advancing = false;
    }
  }

  /** Starts ticking on real timers (every TICK_MS) until `stop()`. */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#lastRealMs = this.#realNow();
    const loop = () => {
      this.#timer = setTimeout(() => {
        this.tick().then(() => {
          if (this.#running) loop();
        });
      }, TICK_MS);
    };
    loop();
  }

  stop(): void {
    this.#running = false;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
  }
}
