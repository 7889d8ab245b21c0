/**
 * Every Redis key and channel of the shared state, under `prefix:`. For Redis Cluster, a prefix with
 * a hash tag (`{switchboard}`) keeps them in one slot, as the multi-key counter script needs.
 */
export interface RedisKeys {
  /** The pub/sub channel every change is published on. */
  channel: string;
  /** Hash: state, atMs, cooldownMs, reopenAtMs, from. */
  breaker(model: string): string;
  /** String: the cooldown deadline, ms since the epoch; expires with it. */
  cooldown(model: string): string;
  /** String: the instance holding the half-open probe; expires with the claim. */
  probe(model: string): string;
  /** Hash per time bucket: `_total`, and instance id → count. */
  counter(key: string, bucketMs: number, bucket: number): string;
}

export function redisKeys(prefix: string): RedisKeys {
  return {
    channel: `${prefix}:events`,
    breaker: (model) => `${prefix}:breaker:${model}`,
    cooldown: (model) => `${prefix}:cooldown:${model}`,
    probe: (model) => `${prefix}:probe:${model}`,
    counter: (key, bucketMs, bucket) => `${prefix}:count:${key}:${bucketMs}:${bucket}`,
  };
}
