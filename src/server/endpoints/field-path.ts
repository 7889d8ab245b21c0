import type { z } from 'zod';
import { invalidRequest } from '../wire/gateway-error.js';

/** `['input', 2, 'content']` → `input[2].content`: how the endpoints name a field in a 400. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path)
    out += typeof part === 'number' ? `[${part}]` : out ? `.${String(part)}` : String(part);
  return out;
}

/** The first zod issue as a 400 GatewayError naming the field's path. */
export function zodIssueError(error: z.ZodError) {
  const issue = error.issues[0];
  const path = issue ? formatPath(issue.path) : '';
  const problem = issue?.message ?? 'invalid value';
  return invalidRequest(`${path ? `${path}: ` : ''}${problem}`, path || null);
}

/**
 * The first top-level field of `body` that is not in `known`, as a 400 naming it (`why` per field,
 * when there is a better explanation than "not supported").
 */
export function refuseUnknownFields(
  body: Record<string, unknown>,
  known: ReadonlySet<string>,
  endpoint: string,
  why: Readonly<Record<string, string>> = {},
): void {
  for (const [field, value] of Object.entries(body)) {
    if (known.has(field) || value === undefined) continue;
    const reason = why[field] ?? `it is not supported by Switchboard's ${endpoint}`;
    throw invalidRequest(`${field}: ${reason}`, field, 'unsupported_field');
  }
}
