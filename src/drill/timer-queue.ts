/** A timer of a TimerQueue. */
interface Timer {
  dueMs: number;
  /** Tie-breaker: timers due at the same instant fire in the order they were set. */
  seq: number;
  callback: () => void;
  cancelled: boolean;
}

/**
 * Timers in simulated time, kept in a binary min-heap by due time. Cancelling only marks a timer
 * (no AbortController, no DOMException: the engine arms and cancels timers on every attempt).
 */
export class TimerQueue {
  #heap: Timer[] = [];
  #seq = 0;

  get size(): number {
    return this.#heap.length;
  }

  /** Adds a timer; returns a function that cancels it. */
  add(dueMs: number, callback: () => void): () => void {
    const timer: Timer = { dueMs, seq: this.#seq++, callback, cancelled: false };
    this.#heap.push(timer);
    this.#up(this.#heap.length - 1);
    return () => {
      timer.cancelled = true;
    };
  }

  /** Removes and returns the earliest live timer due at or before `limitMs`, if any. */
  popDue(limitMs: number): { dueMs: number; callback: () => void } | undefined {
    for (;;) {
      const top = this.#heap[0];
      if (top === undefined) return undefined;
      if (!top.cancelled && top.dueMs > limitMs) return undefined;
      this.#pop();
      if (!top.cancelled) return top;
    }
  }

  #pop(): void {
    const last = this.#heap.pop() as Timer;
    if (this.#heap.length === 0) return;
    this.#heap[0] = last;
    this.#down(0);
  }

  #less(a: Timer, b: Timer): boolean {
    return a.dueMs < b.dueMs || (a.dueMs === b.dueMs && a.seq < b.seq);
  }

  #up(i: number): void {
    const heap = this.#heap;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.#less(heap[i] as Timer, heap[parent] as Timer)) return;
      [heap[i], heap[parent]] = [heap[parent] as Timer, heap[i] as Timer];
      i = parent;
    }
  }

  #down(i: number): void {
    const heap = this.#heap;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let best = i;
      if (left < heap.length && this.#less(heap[left] as Timer, heap[best] as Timer)) best = left;
      if (right < heap.length && this.#less(heap[right] as Timer, heap[best] as Timer)) best = right;
      if (best === i) return;
      [heap[i], heap[best]] = [heap[best] as Timer, heap[i] as Timer];
      i = best;
    }
  }
}
