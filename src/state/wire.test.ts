import { describe, expect, it } from 'vitest';
import { decodeEvent, encodeEvent } from './wire.js';

describe('wire events', () => {
  it('round-trips breaker and cooldown events', () => {
    const events = [
      {
        type: 'breaker',
        model: 'a',
        change: { state: 'open', atMs: 1, cooldownMs: 2, reopenAtMs: 3 },
        instanceId: 'i',
      },
      { type: 'breaker', model: 'a', change: { state: 'closed', atMs: 1, cooldownMs: 2 }, instanceId: 'i' },
      { type: 'cooldown', model: 'a', untilMs: 5, instanceId: 'i' },
    ] as const;
    for (const event of events) expect(decodeEvent(encodeEvent(event))).toEqual(event);
  });

  it.each([
    ['not JSON', '{'],
    ['another version', '{"v":2,"type":"cooldown","model":"a","untilMs":5,"instanceId":"i"}'],
    ['no instance', '{"type":"cooldown","model":"a","untilMs":5}'],
    ['a bad deadline', '{"type":"cooldown","model":"a","untilMs":"soon","instanceId":"i"}'],
    [
      'an open without a deadline',
      '{"type":"breaker","model":"a","change":{"state":"open","atMs":1,"cooldownMs":2},"instanceId":"i"}',
    ],
    [
      'a half-open',
      '{"type":"breaker","model":"a","change":{"state":"half_open","atMs":1,"cooldownMs":2},"instanceId":"i"}',
    ],
    ['an unknown type', '{"type":"hello","model":"a","instanceId":"i"}'],
    ['null', null],
  ])('ignores %s', (_name, input) => {
    expect(decodeEvent(input)).toBeUndefined();
  });
});
