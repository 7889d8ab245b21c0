/**
 * What happened to one chat completion request.
 * - ok / error: the whole response was sent (status < 400 / >= 400);
 * - aborted: the client closed the connection before the response finished;
 * - cut: `stream-cut` destroyed the socket mid-stream; reset: `reset` destroyed it before any header;
 * - hung: no response has finished yet (a `timeout` request, or one still in flight).
 */
export type MockOutcome = 'ok' | 'error' | 'aborted' | 'cut' | 'reset' | 'hung';

export interface MockLogEntry {
  /** Date.now() when the request arrived. */
  t: number;
  model?: string;
  stream: boolean;
  /** The status line sent, if headers were sent. */
  status?: number;
  /** Canonical spec of the fault in force when the request arrived. */
  fault: string;
  outcome: MockOutcome;
  durationMs?: number;
  /** The parsed request body. */
  body?: unknown;
  /** The W3C trace context headers the request carried (OpenAI wire). */
  traceparent?: string;
  tracestate?: string;
}

export interface MockStats {
  name: string;
  /** Canonical spec of the current fault. */
  fault: string;
  /** Chat completion requests received. */
  requests: number;
  /** Chat completion responses sent in full (any status). */
  completed: number;
  /** Chat completion requests whose client went away before the response finished. */
  aborted: number;
  /** Chat completion responses by status line sent (a stream that is later cut or aborted still counts). */
  byStatus: Record<string, number>;
  /** The most recent requests, oldest first (bounded by maxLogEntries). */
  log: MockLogEntry[];
}

/** Fixed-capacity log that overwrites its oldest entry. */
export class RingBuffer<T> {
  readonly #capacity: number;
  #items: T[] = [];
  #next = 0;

  constructor(capacity: number) {
    this.#capacity = Math.max(0, Math.floor(capacity));
  }

  push(item: T): void {
    if (this.#capacity === 0) return;
    if (this.#items.length < this.#capacity) {
      this.#items.push(item);
      return;
    }
    this.#items[this.#next] = item;
    this.#next = (this.#next + 1) % this.#capacity;
  }

  toArray(): T[] {
    return this.#next === 0
      ? this.#items.slice()
      : [...this.#items.slice(this.#next), ...this.#items.slice(0, this.#next)];
  }

  clear(): void {
    this.#items = [];
    this.#next = 0;
  }
}

/** A request being tracked; `generation` lets a reset ignore requests that were in flight before it. */
export interface TrackedRequest {
  readonly entry: MockLogEntry;
  readonly generation: number;
}

export class StatsRecorder {
  readonly #name: string;
  readonly #log: RingBuffer<MockLogEntry>;
  #requests = 0;
  #completed = 0;
  #aborted = 0;
  #byStatus: Record<string, number> = {};
  #generation = 0;

  constructor(name: string, maxLogEntries: number) {
    this.#name = name;
    this.#log = new RingBuffer(maxLogEntries);
  }

  /** A chat completion request arrived. */
  open(t: number, fault: string): TrackedRequest {
    this.#requests++;
    const entry: MockLogEntry = { t, stream: false, fault, outcome: 'hung' };
    this.#log.push(entry);
    return { entry, generation: this.#generation };
  }

  /** Headers with this status are being sent. */
  status(req: TrackedRequest, status: number): void {
    req.entry.status = status;
    if (req.generation !== this.#generation) return;
    this.#byStatus[status] = (this.#byStatus[status] ?? 0) + 1;
  }

  settle(req: TrackedRequest, outcome: MockOutcome, now: number): void {
    req.entry.outcome = outcome;
    req.entry.durationMs = now - req.entry.t;
    if (req.generation !== this.#generation) return;
    if (outcome === 'ok' || outcome === 'error') this.#completed++;
    else if (outcome === 'aborted') this.#aborted++;
  }

  reset(): void {
    this.#generation++;
    this.#requests = 0;
    this.#completed = 0;
    this.#aborted = 0;
    this.#byStatus = {};
    this.#log.clear();
  }

  snapshot(fault: string): MockStats {
    return {
      name: this.#name,
      fault,
      requests: this.#requests,
      completed: this.#completed,
      aborted: this.#aborted,
      byStatus: { ...this.#byStatus },
      log: this.#log.toArray().map((entry) => ({ ...entry })),
    };
  }
}
