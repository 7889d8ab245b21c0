import { describe, expect, it } from 'vitest';
import { LinkedAbort } from './linked-abort.js';
import { ManualClock } from './manual-clock.js';

describe('LinkedAbort', () => {
  it('follows its parent, and a real AbortSignal as parent', () => {
    const clock = new ManualClock();
    const controller = new AbortController();
    const parent = new LinkedAbort(clock, controller.signal);
    const child = new LinkedAbort(clock, parent);
    const seen: unknown[] = [];
    child.addEventListener('abort', () => seen.push(child.reason));
    controller.abort('gone');
    expect([parent.aborted, child.aborted, seen]).toEqual([true, true, ['gone']]);
  });

  it('aborts at its timer with the armed reason; re-arming replaces the timer; disarm stops it', async () => {
    const clock = new ManualClock();
    const scope = new LinkedAbort(clock);
    scope.arm(100, () => 'first');
    scope.arm(300, () => 'second');
    await clock.advance(200);
    expect(scope.aborted).toBe(false);
    await clock.advance(100);
    expect(scope.reason).toBe('second');
    const other = new LinkedAbort(clock);
    other.arm(10, () => 'x');
    other.disarm();
    await clock.advance(50);
    expect(other.aborted).toBe(false);
  });

  it('aborts once, runs every listener even if one throws, and detaches from its parent on dispose', () => {
    const clock = new ManualClock();
    const parent = new LinkedAbort(clock);
    const child = new LinkedAbort(clock, parent);
    const calls: string[] = [];
    child.addEventListener('abort', () => {
      calls.push('a');
      throw new Error('boom');
    });
    child.addEventListener('abort', () => calls.push('b'));
    child.abort('r1');
    child.abort('r2');
    expect([calls, child.reason]).toEqual([['a', 'b'], 'r1']);
    const detached = new LinkedAbort(clock, parent);
    detached.dispose();
    parent.abort('p');
    expect(detached.aborted).toBe(false);
  });

  it('an already aborted parent aborts the child at once', () => {
    const clock = new ManualClock();
    const parent = new LinkedAbort(clock);
    parent.abort('early');
    expect(new LinkedAbort(clock, parent).reason).toBe('early');
  });
});
