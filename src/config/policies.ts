import { DEFAULTS } from './defaults.js';
import { childPath } from './path.js';
import { asRecord, type RawRecord, recordEntries } from './raw.js';
import { coerceNumeric } from './schema.js';
import type { CircuitBreakerPolicy, ConfigIssue, RetryBudgetConfig, RetryPolicy, Timeouts } from './types.js';

/** camelCase field → its snake_case key in the file. */
type Fields<T> = { readonly [K in keyof T]: string };

export const RETRY_FIELDS: Fields<RetryPolicy> = {
  maxRetries: 'max_retries',
  baseDelayMs: 'base_delay_ms',
  maxDelayMs: 'max_delay_ms',
  maxRetryAfterMs: 'max_retry_after_ms',
};

export const CIRCUIT_BREAKER_FIELDS: Fields<CircuitBreakerPolicy> = {
  failureThreshold: 'failure_threshold',
  windowMs: 'window_ms',
  cooldownMs: 'cooldown_ms',
  maxCooldownMs: 'max_cooldown_ms',
};

export const TIMEOUT_FIELDS: Fields<Timeouts> = {
  connectMs: 'connect_ms',
  firstByteMs: 'first_byte_ms',
  firstTokenMs: 'first_token_ms',
  stallMs: 'stall_ms',
  attemptMs: 'attempt_ms',
  totalMs: 'total_ms',
};

export const RETRY_BUDGET_FIELDS: Fields<RetryBudgetConfig> = {
  ratio: 'ratio',
  minRetriesPerWindow: 'min_retries',
  windowMs: 'window_ms',
};

/**
 * Returns `base` with the fields `layer` sets (a partial snake_case section from the file) laid over it.
 * Tolerant: fields that are not numbers are ignored, so it also serves checks on unvalidated input.
 */
export function mergePolicy<T extends Record<keyof T, number>>(
  base: T,
  layer: unknown,
  fields: Fields<T>,
): T {
  const record = asRecord(layer);
  const merged = { ...base };
  if (record === undefined) return merged;
  for (const key of Object.keys(fields) as (keyof T)[]) {
    const value = coerceNumeric(record[fields[key]]);
    if (typeof value === 'number') merged[key] = value as T[keyof T];
  }
  return merged;
}

interface Ordering<T> {
  section: string;
  fields: Fields<T>;
  base: T;
  low: keyof T;
  high: keyof T;
  /** An unset `high` follows `low` (max_cooldown_ms: at least the cooldown), so only a set one can conflict. */
  highFollowsLow?: true;
}

const RETRY_ORDERING: Ordering<RetryPolicy> = {
  section: 'retry',
  fields: RETRY_FIELDS,
  base: DEFAULTS.retry,
  low: 'baseDelayMs',
  high: 'maxDelayMs',
};

const CIRCUIT_BREAKER_ORDERING: Ordering<CircuitBreakerPolicy> = {
  section: 'circuit_breaker',
  fields: CIRCUIT_BREAKER_FIELDS,
  base: DEFAULTS.circuitBreaker,
  low: 'cooldownMs',
  high: 'maxCooldownMs',
  highFollowsLow: true,
};

/**
 * Checks bounds that must stay ordered after merging (base_delay_ms ≤ max_delay_ms,
 * cooldown_ms ≤ max_cooldown_ms), globally and per model. A conflict is reported once, at the most
 * specific level that sets one of the two keys.
 */
export function checkPolicyBounds(document: unknown): ConfigIssue[] {
  const root = asRecord(document);
  if (root === undefined) return [];
  const issues: ConfigIssue[] = [];
  checkOrdering(root, RETRY_ORDERING, issues);
  checkOrdering(root, CIRCUIT_BREAKER_ORDERING, issues);
  return issues;
}

function checkOrdering<T extends Record<keyof T, number>>(
  root: RawRecord,
  ordering: Ordering<T>,
  issues: ConfigIssue[],
): void {
  const { section, fields } = ordering;
  const global = mergePolicy(ordering.base, root[section], fields);
  const globalLayer = asRecord(root[section]);
  const setsHigh = (layer: RawRecord | undefined) =>
    typeof coerceNumeric(layer?.[fields[ordering.high]]) === 'number';
  const skip = (layer: RawRecord | undefined) =>
    ordering.highFollowsLow === true && !setsHigh(globalLayer) && !setsHigh(layer);
  if (!skip(undefined)) checkLayer(ordering, globalLayer, global, section, issues);
  for (const [id, model] of recordEntries(root.models)) {
    const effective = mergePolicy(global, model[section], fields);
    if (skip(asRecord(model[section]))) continue;
    checkLayer(ordering, asRecord(model[section]), effective, `models.${id}.${section}`, issues);
  }
}

function checkLayer<T extends Record<keyof T, number>>(
  { low, high, fields }: Ordering<T>,
  layer: RawRecord | undefined,
  effective: T,
  path: string,
  issues: ConfigIssue[],
): void {
  if (layer === undefined || effective[low] <= effective[high]) return;
  const sets = (key: keyof T) => typeof coerceNumeric(layer[fields[key]]) === 'number';
  if (sets(high)) {
    issues.push({
      path: childPath(path, fields[high]),
      message: `must be at least ${fields[low]} (${effective[low]})`,
    });
  } else if (sets(low)) {
    issues.push({
      path: childPath(path, fields[low]),
      message: `must be at most ${fields[high]} (${effective[high]})`,
    });
  }
}
