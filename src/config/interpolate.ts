import { childPath, indexPath } from './path.js';
import type { ConfigIssue } from './types.js';

export type Env = Readonly<Record<string, string | undefined>>;

/**
 * What an unset `${VAR}` (without a `:-fallback`) becomes: `error` (the default: an issue naming it),
 * or `empty` (expand to '' as `${VAR:-}` would; `switchboard drill` loads configs whose keys are unset).
 */
export type UnsetEnv = 'error' | 'empty';

export interface Interpolated {
  value: unknown;
  issues: ConfigIssue[];
}

const REFERENCE = /^([A-Za-z_][A-Za-z0-9_]*)(?::-(.*))?$/s;

/**
 * Expands `${VAR}` and `${VAR:-fallback}` in every string value of a parsed document (mapping keys are
 * left alone), returning a copy. `$${` is a literal `${`; a `$` not followed by `{` is literal.
 * `${VAR:-fallback}` uses the fallback when VAR is unset or empty (as in a POSIX shell); `${VAR}` with
 * VAR unset is an issue. Expanded text is not expanded again. Messages name the variable, never a value.
 */
export function interpolateEnv(value: unknown, env: Env, unset: UnsetEnv = 'error'): Interpolated {
  const issues: ConfigIssue[] = [];
  return { value: walk(value, '', { env, unset, issues }), issues };
}

interface Walk {
  env: Env;
  unset: UnsetEnv;
  issues: ConfigIssue[];
}

function walk(value: unknown, path: string, w: Walk): unknown {
  if (typeof value === 'string') return expand(value, path, w);
  if (Array.isArray(value)) return value.map((item, i) => walk(item, indexPath(path, i), w));
  if (isPlainObject(value)) {
    // fromEntries defines own properties, so a key named __proto__ stays a plain key.
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, walk(item, childPath(path, key), w)]),
    );
  }
  return value;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function expand(text: string, path: string, { env, unset, issues }: Walk): string {
  if (!text.includes('${')) return text;
  let out = '';
  let i = 0;
  while (i < text.length) {
    if (text.startsWith('$${', i)) {
      out += '${';
      i += 3;
      continue;
    }
    if (!text.startsWith('${', i)) {
      out += text[i];
      i += 1;
      continue;
    }
    const close = text.indexOf('}', i + 2);
    const body = close === -1 ? undefined : text.slice(i + 2, close);
    const match = body === undefined || body.includes('${') ? null : REFERENCE.exec(body);
    if (match === null) {
      issues.push({
        path,
        message: `malformed \${...} reference at character ${i + 1}: expected \${NAME} or \${NAME:-fallback} (write $\${ for a literal \${)`,
      });
      return text;
    }
    const name = match[1]!;
    const fallback = match[2];
    const set = env[name];
    if (fallback !== undefined) {
      out += set === undefined || set === '' ? fallback : set;
    } else if (set === undefined && unset === 'empty') {
      // expands to nothing, like ${NAME:-}
    } else if (set === undefined) {
      issues.push({ path, message: `environment variable ${name} is not set` });
      out += text.slice(i, close + 1);
    } else {
      out += set;
    }
    i = close + 1;
  }
  return out;
}
