import { describe, expect, it } from 'vitest';
import { StreamsInFlight } from './streams-in-flight.js';

const stream = (streams: StreamsInFlight, name: string, ended: string[]) =>
  streams.add(() => ended.push(name), Promise.resolve());

describe('StreamsInFlight', () => {
  it('lists what was added and not removed, whichever order they leave in', () => {
    const streams = new StreamsInFlight();
    const ended: string[] = [];
    const a = stream(streams, 'a', ended);
    const b = stream(streams, 'b', ended);
    const c = stream(streams, 'c', ended);
    const d = stream(streams, 'd', ended);
    streams.remove(b); // middle
    streams.remove(d); // head
    expect(streams.size).toBe(2);
    for (const s of streams.list()) s.shutdown();
    expect(ended.sort()).toEqual(['a', 'c']);
    streams.remove(a); // tail
    streams.remove(c); // last one
    expect(streams.size).toBe(0);
    expect(streams.list()).toEqual([]);
  });

  it('ignores a second removal of the same entry', () => {
    const streams = new StreamsInFlight();
    const ended: string[] = [];
    const a = stream(streams, 'a', ended);
    const b = stream(streams, 'b', ended);
    streams.remove(a);
    streams.remove(a);
    expect(streams.size).toBe(1);
    expect(streams.list()).toEqual([b]);
  });

  it('lets an entry be removed while the list of entries is being ended', () => {
    const streams = new StreamsInFlight();
    const entries: ReturnType<StreamsInFlight['add']>[] = [];
    for (let i = 0; i < 3; i++) {
      entries.push(
        streams.add(() => streams.remove(entries[i] as (typeof entries)[number]), Promise.resolve()),
      );
    }
    for (const s of streams.list()) s.shutdown();
    expect(streams.size).toBe(0);
  });
});
