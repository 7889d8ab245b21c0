import type { SharedBreakerChange } from '../resilience/breaker-types.js';
import type { RemoteStateEvent } from '../routing/index.js';

/** Version of the event format on the `<prefix>:events` channel and between cluster workers. */
export const WIRE_VERSION = 1;

/** An event as JSON text for the pub/sub channel. */
export function encodeEvent(event: RemoteStateEvent): string {
  return JSON.stringify({ v: WIRE_VERSION, ...event });
}

const isNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
const isText = (value: unknown): value is string => typeof value === 'string' && value !== '';

/** Reads a breaker change sent by another instance; undefined if it is not one. */
export function decodeChange(value: unknown): SharedBreakerChange | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const c = value as Record<string, unknown>;
  if ((c.state !== 'open' && c.state !== 'closed') || !isNumber(c.atMs) || !isNumber(c.cooldownMs))
    return undefined;
  if (c.state === 'closed') return { state: 'closed', atMs: c.atMs, cooldownMs: c.cooldownMs };
  if (!isNumber(c.reopenAtMs)) return undefined;
  return { state: 'open', atMs: c.atMs, cooldownMs: c.cooldownMs, reopenAtMs: c.reopenAtMs };
}

/**
 * Reads an event from JSON text or a structured-clone object; undefined for anything else (another
 * version, a foreign message, garbage), which the caller ignores.
 */
export function decodeEvent(input: unknown): RemoteStateEvent | undefined {
  let value = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input);
    } catch {
      return undefined;
    }
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const e = value as Record<string, unknown>;
  if ((e.v !== undefined && e.v !== WIRE_VERSION) || !isText(e.model) || !isText(e.instanceId))
    return undefined;
  if (e.type === 'cooldown') {
    return isNumber(e.untilMs)
      ? { type: 'cooldown', model: e.model, untilMs: e.untilMs, instanceId: e.instanceId }
      : undefined;
  }
  if (e.type !== 'breaker') return undefined;
  const change = decodeChange(e.change);
  return change && { type: 'breaker', model: e.model, change, instanceId: e.instanceId };
}
