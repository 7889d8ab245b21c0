import { readFileSync } from 'node:fs';
import { ConfigError } from './errors.js';
import { type ParseOptions, parseConfig } from './parse.js';
import type { SwitchboardConfig } from './types.js';

const FS_REASONS: Record<string, string> = {
  ENOENT: 'the file does not exist',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'it is a directory, not a file',
  ENOTDIR: 'a part of the path is not a directory',
};

/** Reads and parses a YAML config file (synchronously: this runs once, at startup). */
export function loadConfigFile(path: string, opts: Omit<ParseOptions, 'source'> = {}): SwitchboardConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = (code === undefined ? undefined : FS_REASONS[code]) ?? (error as Error).message;
    throw new ConfigError([{ path: '', message: `cannot read the config file: ${reason}` }], {
      source: path,
      cause: error,
    });
  }
  return parseConfig(text, { ...opts, source: path });
}
