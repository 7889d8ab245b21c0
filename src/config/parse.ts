import { ConfigError } from './errors.js';
import { deepFreeze } from './freeze.js';
import { type Env, interpolateEnv, type UnsetEnv } from './interpolate.js';
import { rememberLongFormRoutes } from './notation.js';
import { checkPolicyBounds } from './policies.js';
import { asRecord, shortFormRoutes } from './raw.js';
import { checkReferences } from './references.js';
import { resolveConfig } from './resolve.js';
import { validateSchema } from './schema-issues.js';
import type { ConfigIssue, SwitchboardConfig } from './types.js';
import { parseYamlText } from './yaml.js';

export interface ParseOptions {
  /** Variables for `${VAR}` interpolation. Default: process.env. */
  env?: Env;
  /** Where the config came from (a file path), used to prefix error lines. */
  source?: string;
  /** An unset `${VAR}`: an error (default), or `empty` for tools that never call a provider (drill). */
  unsetEnv?: UnsetEnv;
}

/**
 * Loads a config: YAML text, or an already-parsed YAML-shaped (snake_case) object. Interpolates
 * `${VAR}`, validates, checks cross-references, applies defaults and presets, and returns a deeply
 * frozen SwitchboardConfig. Throws a ConfigError listing every problem found.
 */
export function parseConfig(input: unknown, opts: ParseOptions = {}): SwitchboardConfig {
  const { source } = opts;
  const document = typeof input === 'string' ? parseYamlText(input, source) : input;
  const interpolated = interpolateEnv(document, opts.env ?? process.env, opts.unsetEnv);
  const { value } = interpolated;
  const shortForm = shortFormRoutes(value);
  const schema = validateSchema(value, shortForm);
  // A value whose variable is unset still holds its `${...}` text: don't also report it as invalid.
  const unset = new Set(interpolated.issues.map((issue) => issue.path));
  const derived = [...schema.issues, ...checkReferences(value), ...checkPolicyBounds(value)].filter(
    (issue) => !unset.has(issue.path),
  );
  const issues = dedupe([...interpolated.issues, ...derived]);
  if (issues.length > 0 || schema.data === undefined) throw new ConfigError(issues, { source });

  const config = resolveConfig(schema.data);
  const routeIds = Object.keys(asRecord(value)?.routes ?? {});
  rememberLongFormRoutes(config, new Set(routeIds.filter((id) => !shortForm.has(id))));
  return deepFreeze(config);
}

function dedupe(issues: ConfigIssue[]): ConfigIssue[] {
  const seen = new Set<string>();
  return issues.filter((issue) => {
    const key = `${issue.path}\u0000${issue.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
