import type { Redis } from 'ioredis';

/**
 * The Lua scripts that make the shared state's races atomic in Redis. Each runs as one command (no
 * other client's command interleaves), and writes and publishes together, so an instance never
 * sees a change in the channel that the keys do not hold. ioredis sends them by SHA and falls back
 * to the source after a Redis restart flushed its script cache.
 */

/**
 * KEYS[1] the model's breaker hash. ARGV: channel, message, from, state, atMs, cooldownMs, reopenAtMs
 * ('' when closed), ttlMs. Writes and publishes when the change supersedes the stored one (the rule
 * of `supersedes` in breaker-record.ts); otherwise returns the stored fields.
 */
const BREAKER_WRITE = `
local cur = redis.call('HMGET', KEYS[1], 'state', 'atMs', 'cooldownMs', 'reopenAtMs', 'from')
if cur[1] then
  local at, curAt = tonumber(ARGV[5]), tonumber(cur[2])
  local newer
  if ARGV[4] == 'open' then
    if cur[1] == 'open' then newer = tonumber(ARGV[7]) > tonumber(cur[4]) else newer = at >= curAt end
  else
    if cur[1] == 'closed' then newer = at > curAt else newer = at >= curAt end
  end
  if not newer then return cur end
end
redis.call('HSET', KEYS[1], 'state', ARGV[4], 'atMs', ARGV[5], 'cooldownMs', ARGV[6], 'reopenAtMs', ARGV[7], 'from', ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[8])
redis.call('PUBLISH', ARGV[1], ARGV[2])
return 1
`;

/**
 * KEYS[1] the model's cooldown. ARGV: channel, message, untilMs, ttlMs. The later deadline wins:
 * writes and publishes a later one, otherwise returns the stored deadline.
 */
const COOLDOWN_WRITE = `
local cur = redis.call('GET', KEYS[1])
if cur and tonumber(cur) >= tonumber(ARGV[3]) then return cur end
redis.call('SET', KEYS[1], ARGV[3], 'PX', ARGV[4])
redis.call('PUBLISH', ARGV[1], ARGV[2])
return 1
`;

/** KEYS[1] the model's probe claim. ARGV: holder, ttlMs. 1 when the holder has it (now or already). */
const PROBE_CLAIM = `
local cur = redis.call('GET', KEYS[1])
if cur == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) return 1 end
if cur then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1
`;

/** KEYS[1] the model's probe claim. ARGV: holder. Deletes the claim only if the holder has it. */
const PROBE_RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

/**
 * KEYS: the bucket hashes of several counters, ARGV[2] of them per counter. ARGV[1]: this instance.
 * Each hash holds `_total` and one field per instance, so a read costs the same however many
 * instances write. Returns, per counter, the sum over its buckets of `_total` minus this instance's.
 */
const COUNTS_READ = `
local n = tonumber(ARGV[2])
local out = {}
for g = 0, #KEYS / n - 1 do
  local sum = 0
  for j = 1, n do
    local h = redis.call('HMGET', KEYS[g * n + j], '_total', ARGV[1])
    sum = sum + (tonumber(h[1]) or 0) - (tonumber(h[2]) or 0)
  end
  out[#out + 1] = tostring(sum)
end
return out
`;

type Reply<T> = Promise<T>;

/** The scripts as commands of a client (see {@link defineScripts}). */
export interface ScriptCommands {
  sbBreakerWrite(key: string, ...args: string[]): Reply<1 | Array<string | null>>;
  sbCooldownWrite(key: string, ...args: string[]): Reply<1 | string>;
  sbProbeClaim(key: string, holder: string, ttlMs: string): Reply<number>;
  sbProbeRelease(key: string, holder: string): Reply<number>;
  sbCountsRead(numberOfKeys: number, ...keysAndArgs: string[]): Reply<string[]>;
}

/** Registers the scripts on `client`; returns it typed with them. */
export function defineScripts(client: Redis): Redis & ScriptCommands {
  client.defineCommand('sbBreakerWrite', { numberOfKeys: 1, lua: BREAKER_WRITE });
  client.defineCommand('sbCooldownWrite', { numberOfKeys: 1, lua: COOLDOWN_WRITE });
  client.defineCommand('sbProbeClaim', { numberOfKeys: 1, lua: PROBE_CLAIM });
  client.defineCommand('sbProbeRelease', { numberOfKeys: 1, lua: PROBE_RELEASE });
  client.defineCommand('sbCountsRead', { lua: COUNTS_READ });
  return client as Redis & ScriptCommands;
}
