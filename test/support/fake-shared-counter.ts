import type { SharedCounter } from '../../src/resilience/shared-counter.js';

/**
 * A `SharedCounter` for tests: `others` is what the other instances counted (set by the test);
 * `added` is what this instance added. Windows are ignored.
 */
export class FakeSharedCounter implements SharedCounter {
  readonly others = new Map<string, number>();
  readonly added = new Map<string, number>();
  readonly resets: string[] = [];

  addCount(key: string, amount: number): void {
    this.added.set(key, (this.added.get(key) ?? 0) + amount);
  }

  count(key: string): number {
    return this.others.get(key) ?? 0;
  }

  resetCount(key: string): void {
    this.resets.push(key);
    this.others.delete(key);
  }
}
