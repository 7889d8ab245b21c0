/** One stream being written: how to end it early, and the promise of its answer written. */
export interface StreamInFlight {
  readonly shutdown: () => void;
  readonly written: Promise<void>;
  prev: StreamInFlight | undefined;
  next: StreamInFlight | undefined;
}

/**
 * The streams in flight, for a graceful close: a doubly linked list through its entries, so adding
 * and removing one allocates nothing but the entry. A Map here rebuilt its hash table each time the
 * count crossed a power of two, hundreds of times a second under load, and the tables of a Map that
 * lives in the old generation are made there: under the stream load that was ~27 % of what grew the
 * old generation between full GCs (bench/README.md, "Peak RSS").
 */
export class StreamsInFlight {
  #head: StreamInFlight | undefined;
  #size = 0;

  get size(): number {
    return this.#size;
  }

  add(shutdown: () => void, written: Promise<void>): StreamInFlight {
    const entry: StreamInFlight = { shutdown, written, prev: undefined, next: this.#head };
    if (this.#head) this.#head.prev = entry;
    this.#head = entry;
    this.#size++;
    return entry;
  }

  /** Removes an entry `add` returned; removing it twice does nothing. */
  remove(entry: StreamInFlight): void {
    if (entry.prev === undefined && this.#head !== entry) return;
    if (entry.prev) entry.prev.next = entry.next;
    else this.#head = entry.next;
    if (entry.next) entry.next.prev = entry.prev;
    entry.prev = undefined;
    entry.next = undefined;
    this.#size--;
  }

  /** The entries now, newest first (a copy: ending one may remove it while the caller iterates). */
  list(): StreamInFlight[] {
    const all: StreamInFlight[] = [];
    for (let e = this.#head; e; e = e.next) all.push(e);
    return all;
  }
}
