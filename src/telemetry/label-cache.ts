/** Label values for one metric child, 1 to 4 of them, in the metric's label order. */
export type LabelValues = readonly string[];

/**
 * Metric children (what `metric.labels(...)` returns) cached by their label values in nested Maps.
 * A lookup walks one Map per label: it builds no key string, no labels object and no array, so the
 * hot path allocates nothing once a child exists. `create` runs once per distinct label set.
 */
export class ChildCache<T> {
  readonly #depth: number;
  readonly #create: (values: LabelValues) => T;
  readonly #root = new Map<string, unknown>();

  /**
   * @param depth how many labels the metric has (1 to 4).
   * @param create makes the child for a label set never seen before.
   */
  constructor(depth: number, create: (values: LabelValues) => T) {
    if (!Number.isInteger(depth) || depth < 1 || depth > 4) {
      throw new RangeError(`ChildCache depth must be 1 to 4, got ${depth}`);
    }
    this.#depth = depth;
    this.#create = create;
  }

  /** The child for these label values (pass exactly `depth` of them), created on first use. */
  get(a: string, b = '', c = '', d = ''): T {
    let node = this.#root;
    const last = this.#depth - 1;
    for (let i = 0; i < last; i++) {
      const key = pick(i, a, b, c, d);
      let next = node.get(key) as Map<string, unknown> | undefined;
      if (next === undefined) {
        next = new Map<string, unknown>();
        node.set(key, next);
      }
      node = next;
    }
    const key = pick(last, a, b, c, d);
    let child = node.get(key) as T | undefined;
    if (child === undefined) {
      child = this.#create([a, b, c, d].slice(0, this.#depth));
      node.set(key, child);
    }
    return child;
  }
}

function pick(i: number, a: string, b: string, c: string, d: string): string {
  switch (i) {
    case 0:
      return a;
    case 1:
      return b;
    case 2:
      return c;
    default:
      return d;
  }
}
