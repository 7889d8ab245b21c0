import type { Redis } from 'ioredis';
import type { RemoteStateEvent } from '../routing/index.js';
import type { RedisKeys } from './redis-keys.js';
import { decodeChange } from './wire.js';

/**
 * Reads the stored breaker records and cooldowns of `models` (one pipeline), as events to apply.
 * Throws when Redis fails.
 */
export async function readStoredState(
  client: Redis,
  keys: RedisKeys,
  models: readonly string[],
): Promise<RemoteStateEvent[]> {
  if (models.length === 0) return [];
  const pipeline = client.pipeline();
  for (const model of models) pipeline.hgetall(keys.breaker(model)).get(keys.cooldown(model));
  const results = (await pipeline.exec()) ?? [];
  const events: RemoteStateEvent[] = [];
  models.forEach((model, i) => {
    const [breakerError, breaker] = results[2 * i] ?? [];
    const [cooldownError, cooldown] = results[2 * i + 1] ?? [];
    if (breakerError) throw breakerError;
    if (cooldownError) throw cooldownError;
    const record = breaker as Record<string, string> | undefined;
    if (record?.from) {
      const change = decodeChange({
        state: record.state,
        atMs: Number(record.atMs),
        cooldownMs: Number(record.cooldownMs),
        reopenAtMs: record.reopenAtMs === '' ? undefined : Number(record.reopenAtMs),
      });
      if (change) events.push({ type: 'breaker', model, change, instanceId: record.from });
    }
    const untilMs = typeof cooldown === 'string' ? Number(cooldown) : Number.NaN;
    if (Number.isFinite(untilMs)) events.push({ type: 'cooldown', model, untilMs, instanceId: 'stored' });
  });
  return events;
}
