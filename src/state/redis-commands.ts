import type { Redis } from 'ioredis';
import type { SharedBreakerChange } from '../resilience/breaker-types.js';
import { type BreakerRecord, supersedes } from './breaker-record.js';
import {
  bucketMsOf,
  COUNTER_BUCKETS,
  type CounterAdd,
  type CounterWant,
  windowBuckets,
} from './counter-book.js';
import type { RedisKeys } from './redis-keys.js';
import type { ScriptCommands } from './redis-scripts.js';
import { encodeEvent } from './wire.js';

/** A stored breaker record outlives its reopen deadline by this long (1 h). */
const RECORD_TTL_MS = 60 * 60 * 1_000;

/** What the shared state's Redis commands need. */
export interface RedisContext {
  client: Redis & ScriptCommands;
  keys: RedisKeys;
  instanceId: string;
}

/**
 * Writes a breaker change and publishes it, if it supersedes the stored one. Returns the stored
 * record when that one is newer (for the caller to apply), else undefined. Throws when Redis fails.
 */
export async function writeBreaker(
  { client, keys, instanceId }: RedisContext,
  model: string,
  change: SharedBreakerChange,
  nowMs: number,
): Promise<BreakerRecord | undefined> {
  const ttlMs = Math.max(0, (change.reopenAtMs ?? nowMs) - nowMs) + RECORD_TTL_MS;
  const reply = await client.sbBreakerWrite(
    keys.breaker(model),
    keys.channel,
    encodeEvent({ type: 'breaker', model, change, instanceId }),
    instanceId,
    change.state,
    String(change.atMs),
    String(change.cooldownMs),
    change.reopenAtMs === undefined ? '' : String(change.reopenAtMs),
    wholeMs(ttlMs),
  );
  if (!Array.isArray(reply)) return undefined;
  const stored = storedRecord(reply);
  return stored && stored.from !== instanceId && supersedes(change, stored) ? stored : undefined;
}

/**
 * Writes a cooldown and publishes it, if it is later than the stored one. Returns the stored deadline
 * when that one is later, else undefined. Throws when Redis fails.
 */
export async function writeCooldown(
  { client, keys, instanceId }: RedisContext,
  model: string,
  untilMs: number,
  nowMs: number,
): Promise<number | undefined> {
  if (untilMs <= nowMs) return undefined;
  const reply = await client.sbCooldownWrite(
    keys.cooldown(model),
    keys.channel,
    encodeEvent({ type: 'cooldown', model, untilMs, instanceId }),
    String(untilMs),
    wholeMs(untilMs - nowMs),
  );
  const storedMs = typeof reply === 'string' ? Number(reply) : Number.NaN;
  return storedMs > untilMs ? storedMs : undefined;
}

/**
 * One pipeline: this instance's counts (into its field and `_total` of each time bucket), then the
 * other instances' totals of every wanted counter. Throws when Redis fails.
 */
export async function flushCounters(
  { client, keys, instanceId }: RedisContext,
  adds: readonly CounterAdd[],
  wants: readonly CounterWant[],
  nowMs: number,
): Promise<Array<[string, number]>> {
  if (adds.length === 0 && wants.length === 0) return [];
  const pipeline = client.pipeline();
  for (const add of adds) {
    const key = keys.counter(add.key, add.bucketMs, add.bucket);
    pipeline
      .hincrby(key, instanceId, add.amount)
      .hincrby(key, '_total', add.amount)
      .pexpire(key, wholeMs(add.ttlMs));
  }
  const bucketKeys = wants.flatMap((want) => counterKeys(keys, want.key, want.windowMs, nowMs));
  if (wants.length > 0)
    (pipeline as unknown as ScriptCommands).sbCountsRead(
      bucketKeys.length,
      ...bucketKeys,
      instanceId,
      String(COUNTER_BUCKETS),
    );
  const results = (await pipeline.exec()) ?? [];
  for (const [error] of results) if (error) throw error;
  const totals = wants.length > 0 ? results[results.length - 1]?.[1] : undefined;
  if (!Array.isArray(totals)) return [];
  return wants.map((want, i) => [want.key, Number(totals[i])]);
}

/** The bucket keys of a counter's window ending now. */
export function counterKeys(keys: RedisKeys, key: string, windowMs: number, nowMs: number): string[] {
  const bucketMs = bucketMsOf(windowMs);
  return windowBuckets(windowMs, nowMs).map((bucket) => keys.counter(key, bucketMs, bucket));
}

/** A whole number of ms, at least 1, as Redis wants for PX / PEXPIRE. */
export function wholeMs(value: number): string {
  return String(Math.max(1, Math.ceil(value)));
}

/** The stored fields a rejected breaker write returns: state, atMs, cooldownMs, reopenAtMs, from. */
function storedRecord(fields: Array<string | null>): BreakerRecord | undefined {
  const [state, atMs, cooldownMs, reopenAtMs, from] = fields;
  if ((state !== 'open' && state !== 'closed') || !from) return undefined;
  const record: BreakerRecord = { state, atMs: Number(atMs), cooldownMs: Number(cooldownMs), from };
  if (state === 'open') record.reopenAtMs = Number(reopenAtMs);
  return record;
}
