/** A path into the config file, as segments: mapping keys are strings, list indices are numbers. */
export type PathSegment = string | number;

/**
 * Formats a path the way a user reads the YAML file: `routes.quality[2]`, `models.glm-5.1.provider`.
 * Keys are joined with dots as written (a key containing a dot is not quoted); indices use brackets.
 */
export function formatPath(segments: readonly PathSegment[]): string {
  let out = '';
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? segment : `.${segment}`;
  }
  return out;
}

/** `a.b` + `c` → `a.b.c`; `''` + `c` → `c`. */
export function childPath(parent: string, key: string): string {
  return parent === '' ? key : `${parent}.${key}`;
}

/** `routes.quality` + 2 → `routes.quality[2]`. */
export function indexPath(parent: string, index: number): string {
  return `${parent}[${index}]`;
}
