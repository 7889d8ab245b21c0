import { randomBytes } from 'node:crypto';
import type { Random } from '../common/clock.js';
import { seededRandom } from '../common/seeded-random.js';
import { type Fault, resolveFault } from './faults.js';
import { StatsRecorder } from './stats.js';

const OK: Fault = { type: 'ok' };
const UNAVAILABLE: Fault = { type: 'status', status: 503 };

/** Mutable state of one simulated provider: the fault in force, the PRNG, the counters. */
export class MockState {
  readonly stats: StatsRecorder;
  /** Set by close(): sockets destroyed from then on are not client aborts. */
  closing = false;
  readonly #seed: number;
  readonly #idPrefix = randomBytes(3).toString('hex');
  #seq = 0;
  #fault: Fault = OK;
  #spec = 'ok';
  #random: Random;
  /** When the current fault was set (or the counters reset): down-for counts from here. */
  #since = Date.now();

  constructor(name: string, seed: number, maxLogEntries: number) {
    this.stats = new StatsRecorder(name, maxLogEntries);
    this.#seed = seed;
    this.#random = seededRandom(seed);
  }

  get spec(): string {
    return this.#spec;
  }

  /** Validates and installs a fault; restarts down-for and reseeds flaky. Returns the canonical spec. */
  setFault(input: string | Fault): string {
    const { fault, spec } = resolveFault(input);
    this.#fault = fault;
    this.#spec = spec;
    this.#restart();
    return spec;
  }

  reset(): void {
    this.stats.reset();
    this.#restart();
  }

  /**
   * The fault for a request arriving now, with the probabilistic and time-based modes resolved:
   * flaky draws from the PRNG, down-for compares against the time it was set.
   */
  sample(): Fault {
    const fault = this.#fault;
    if (fault.type === 'flaky') return this.#random() < fault.probability ? UNAVAILABLE : OK;
    if (fault.type === 'down-for') return Date.now() - this.#since < fault.ms ? UNAVAILABLE : OK;
    return fault;
  }

  nextId(): string {
    this.#seq++;
    return `chatcmpl-${this.#idPrefix}${this.#seq.toString(36)}`;
  }

  #restart(): void {
    this.#since = Date.now();
    this.#random = seededRandom(this.#seed);
  }
}
