import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { EventBus, freshMetadata, type ResultMetadata } from '../routing/index.js';
import { attachLogger, createLogger } from './logger.js';

function metadata(overrides: Partial<ResultMetadata>): ResultMetadata {
  return {
    ...freshMetadata('r1', ['a', 'b'], 'main'),
    model: 'a',
    provider: 'pa',
    latencyMs: 12,
    costUsd: 0.001,
    ...overrides,
  };
}

/** A bus with a logger at `level` on it, and the lines it wrote. */
function logged(level: string) {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n')) if (line) lines.push(JSON.parse(line));
      done();
    },
  });
  const bus = new EventBus();
  attachLogger(bus, createLogger(level, stream));
  return { bus, lines };
}

describe('the logger on the engine events', () => {
  it('writes a rescued answer at info, a healthy one only at debug', () => {
    const info = logged('info');
    info.bus.emit({ type: 'request.succeeded', requestId: 'r1', metadata: metadata({}) });
    info.bus.emit({
      type: 'request.succeeded',
      requestId: 'r2',
      metadata: metadata({ requestId: 'r2', model: 'b', fallbacks: 1 }),
    });
    expect(info.lines).toHaveLength(1);
    expect(info.lines[0]).toMatchObject({ level: 30, requestId: 'r2', model: 'b', fallbacks: 1 });
    expect(String(info.lines[0]?.msg)).toContain('answered by b');

    const debug = logged('debug');
    debug.bus.emit({ type: 'request.succeeded', requestId: 'r1', metadata: metadata({}) });
    expect(debug.lines).toEqual([
      expect.objectContaining({ level: 20, type: 'request.succeeded', requestId: 'r1', costUsd: 0.001 }),
    ]);
  });
});
