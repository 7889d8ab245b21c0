import { SwitchboardError } from '../common/errors.js';
import type { ConfigIssue } from './types.js';

/** One issue as a line: `source: path: message` (parts that are unknown or empty are left out). */
export function formatIssue(issue: ConfigIssue, source?: string): string {
  const located = issue.path === '' ? issue.message : `${issue.path}: ${issue.message}`;
  return source === undefined ? located : `${source}: ${located}`;
}

/** Every issue on its own line, each prefixed by the source when known. */
export function formatIssues(issues: readonly ConfigIssue[], source?: string): string {
  return issues.map((issue) => formatIssue(issue, source)).join('\n');
}

function headline(count: number): string {
  return `Invalid Switchboard config: ${count} ${count === 1 ? 'problem' : 'problems'}`;
}

/**
 * The config could not be loaded. `issues` holds every problem found, each named by its path in the
 * file. Messages never contain secret values (API keys).
 */
export class ConfigError extends SwitchboardError {
  readonly issues: readonly ConfigIssue[];
  /** The file the config came from, when known. */
  readonly source: string | undefined;

  constructor(issues: readonly ConfigIssue[], options: { source?: string; cause?: unknown } = {}) {
    super('invalid_config', `${headline(issues.length)}\n${formatIssues(issues, options.source)}`, {
      cause: options.cause,
    });
    this.name = 'ConfigError';
    this.issues = Object.freeze(issues.map((issue) => Object.freeze({ ...issue })));
    this.source = options.source;
  }
}
