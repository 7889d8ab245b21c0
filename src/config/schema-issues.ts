import type { z } from 'zod';
import { formatPath, type PathSegment } from './path.js';
import { configSchema, type FileConfig } from './schema.js';
import { closest, nameList } from './suggest.js';
import type { ConfigIssue } from './types.js';

type RawIssue = Parameters<z.core.$ZodErrorMap>[0];

const EXPECTED: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping',
  record: 'a mapping',
};

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  return `a ${typeof value}`;
}

/**
 * Messages for zod's issues. They describe what was expected and the type that was found, never the
 * value itself (it may be a secret). For an unknown key the message is the list of allowed keys,
 * which `toConfigIssues` turns into one issue per key.
 */
const errorMap = (issue: RawIssue): string | undefined => {
  switch (issue.code) {
    case 'invalid_type': {
      const format = (issue.inst?._zod.def as { format?: string } | undefined)?.format;
      const expected = format?.includes('int') ? EXPECTED.int! : (EXPECTED[issue.expected] ?? issue.expected);
      if (issue.input === undefined) return 'is required';
      if (issue.input === null) return `is empty; expected ${expected}`;
      if (issue.expected === 'int' && typeof issue.input === 'number') return 'must be an integer';
      if (issue.expected === 'number' && typeof issue.input === 'number') return 'must be a finite number';
      const quoteHint =
        issue.expected === 'string' && (typeof issue.input === 'number' || typeof issue.input === 'boolean')
          ? ' (put it in quotes)'
          : '';
      return `must be ${expected}, not ${describe(issue.input)}${quoteHint}`;
    }
    case 'too_small':
      if (issue.origin === 'string') return 'must not be empty';
      if (issue.origin === 'array') return `must have at least ${issue.minimum} entries`;
      return issue.inclusive === false
        ? `must be greater than ${issue.minimum}`
        : `must be at least ${issue.minimum}`;
    case 'too_big':
      return issue.inclusive === false
        ? `must be less than ${issue.maximum}`
        : `must be at most ${issue.maximum}`;
    case 'invalid_value':
      return `must be one of: ${issue.values.map(String).join(', ')}`;
    case 'unrecognized_keys': {
      const def = issue.inst?._zod.def as { shape?: Record<string, unknown> } | undefined;
      return Object.keys(def?.shape ?? {}).join(', ');
    }
    default:
      return 'is invalid';
  }
};

export interface SchemaResult {
  data?: FileConfig;
  issues: ConfigIssue[];
}

/**
 * Validates the (interpolated) document against the file schema. `shortFormRoutes` names the routes
 * written as a bare list, so their entries are reported as `routes.x[1]`, not `routes.x.models[1]`.
 */
export function validateSchema(value: unknown, shortFormRoutes: ReadonlySet<string>): SchemaResult {
  const result = configSchema.safeParse(value, { error: errorMap });
  if (result.success) return { data: result.data, issues: [] };
  return { issues: result.error.issues.flatMap((issue) => toConfigIssues(issue, shortFormRoutes)) };
}

function toConfigIssues(issue: z.core.$ZodIssue, shortFormRoutes: ReadonlySet<string>): ConfigIssue[] {
  if (issue.code === 'invalid_union') {
    const branch = matchingBranch(issue.errors);
    if (branch !== undefined) {
      return branch.flatMap((inner) =>
        toConfigIssues({ ...inner, path: [...issue.path, ...inner.path] }, shortFormRoutes),
      );
    }
  }
  const segments = notation(issue.path as PathSegment[], shortFormRoutes);
  if (issue.code !== 'unrecognized_keys') {
    const message =
      segments.length === 0 && issue.code === 'invalid_type' ? rootMessage(issue) : issue.message;
    return [{ path: formatPath(segments), message }];
  }
  const allowed = issue.message === '' ? [] : issue.message.split(', ');
  return issue.keys.map((key) => {
    const guess = closest(key, allowed);
    const hint = guess === undefined ? '' : `; did you mean "${guess}"?`;
    return {
      path: formatPath([...segments, key]),
      message: `unknown key${hint} (allowed: ${nameList(allowed)})`,
    };
  });
}

/**
 * Of a union's alternatives (e.g. a route entry: a model name, or `{ model, weight }`), the one whose
 * type the value has: its problems are more precise than "must be one of these forms". Undefined when
 * the value has none of the types.
 */
function matchingBranch(
  branches: readonly (readonly z.core.$ZodIssue[])[],
): readonly z.core.$ZodIssue[] | undefined {
  return branches.find((issues) =>
    issues.some((inner) => inner.path.length > 0 || inner.code !== 'invalid_type'),
  );
}

function rootMessage(issue: z.core.$ZodIssue): string {
  return issue.message.startsWith('is empty') || issue.message === 'is required'
    ? 'the config is empty; expected a mapping with providers, models and routes'
    : `the config ${issue.message}`;
}

function notation(path: PathSegment[], shortFormRoutes: ReadonlySet<string>): PathSegment[] {
  const [section, route, key] = path;
  if (section === 'routes' && typeof route === 'string' && key === 'models' && shortFormRoutes.has(route)) {
    return [section, route, ...path.slice(3)];
  }
  return path;
}
