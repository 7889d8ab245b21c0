import { describe, expect, it } from 'vitest';
import { TimerQueue } from './timer-queue.js';

function drain(queue: TimerQueue, limitMs: number): number[] {
  const out: number[] = [];
  for (let due = queue.popDue(limitMs); due !== undefined; due = queue.popDue(limitMs)) out.push(due.dueMs);
  return out;
}

describe('TimerQueue', () => {
  it('pops due timers earliest first, ties in the order they were added, and leaves later ones', () => {
    const queue = new TimerQueue();
    const order: string[] = [];
    for (const [due, name] of [
      [30, 'c'],
      [10, 'a'],
      [20, 'b1'],
      [20, 'b2'],
      [50, 'e'],
    ] as const) {
      queue.add(due, () => order.push(name));
    }
    for (let due = queue.popDue(40); due !== undefined; due = queue.popDue(40)) due.callback();
    expect(order).toEqual(['a', 'b1', 'b2', 'c']);
    expect(drain(queue, 100)).toEqual([50]);
  });

  it('never pops a cancelled timer', () => {
    const queue = new TimerQueue();
    const cancel = queue.add(5, () => {});
    queue.add(7, () => {});
    cancel();
    expect(drain(queue, 10)).toEqual([7]);
    expect(queue.size).toBe(0);
  });

  it('keeps heap order over many random timers', () => {
    const queue = new TimerQueue();
    const dues = Array.from({ length: 200 }, (_, i) => (i * 7919) % 1000);
    for (const due of dues) queue.add(due, () => {});
    expect(drain(queue, 1000)).toEqual([...dues].sort((a, b) => a - b));
  });
});
