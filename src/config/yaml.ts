import { parseDocument, type YAMLError } from 'yaml';
import { ConfigError } from './errors.js';
import { shieldReferences } from './shield.js';
import type { ConfigIssue } from './types.js';

/** Later syntax errors are mostly echoes of the first; report only a few. */
const MAX_SYNTAX_ERRORS = 3;

/**
 * Parses YAML text into plain data. Syntax errors become a ConfigError with line and column. Messages
 * never quote the file's text, so a secret written in the file stays out of them.
 */
export function parseYamlText(text: string, source?: string): unknown {
  const original = text.replace(/^\uFEFF/, '');
  const shielded = shieldReferences(original);
  const doc = parseDocument(shielded.text, { prettyErrors: false, merge: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const issues: ConfigIssue[] = doc.errors.slice(0, MAX_SYNTAX_ERRORS).map((error) => {
      const { line, column } = lineAndColumn(original, shielded.originalOffset(error.pos[0]));
      return { path: '', message: `YAML syntax error at line ${line}, column ${column}: ${describe(error)}` };
    });
    const more = doc.errors.length - MAX_SYNTAX_ERRORS;
    if (more > 0)
      issues.push({ path: '', message: `… and ${more} more YAML errors, probably caused by the above` });
    throw new ConfigError(issues, { source });
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 1000 });
  } catch (error) {
    const reason = error instanceof Error ? withoutQuotes(error.message) : 'unknown error';
    throw new ConfigError([{ path: '', message: `YAML could not be converted to data: ${reason}` }], {
      source,
    });
  }
  return shielded.restore(value);
}

function describe(error: YAMLError): string {
  return withoutQuotes(error.message);
}

/** yaml's messages may quote source text (`...: "sk-..."`); drop the quotes and what is inside. */
function withoutQuotes(message: string): string {
  return message.replace(/:?\s*"(?:[^"\\]|\\.)*"/g, '').trim();
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === '\n') {
      line += 1;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}
