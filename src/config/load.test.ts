// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these tests are about literal ${VAR} text
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { configErrorOf } from '../../test/support/config-docs.js';
import { loadConfigFile, parseConfig } from './index.js';

const dir = mkdtempSync(join(tmpdir(), 'switchboard-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const VALID = 'providers:\n  p: { preset: deepseek, api_key: ${KEY} }\nmodels:\n  m: { provider: p }\n';

describe('loadConfigFile', () => {
  it('reads, interpolates and validates a file', () => {
    const config = loadConfigFile(file('ok.yaml', VALID), { env: { KEY: 'k' } });
    expect(config.providers.p?.baseUrl).toBe('https://api.deepseek.com/v1');
    expect(config.providers.p?.apiKey).toBe('k');
  });

  it('accepts a byte-order mark', () => {
    expect(loadConfigFile(file('bom.yaml', `\uFEFF${VALID}`), { env: { KEY: 'k' } }).models.m).toBeDefined();
  });

  it('names the path of a missing file', () => {
    const path = join(dir, 'missing.yaml');
    const error = configErrorOf(() => loadConfigFile(path));
    expect(error.code).toBe('invalid_config');
    expect(error.source).toBe(path);
    expect(error.issues).toEqual([
      { path: '', message: 'cannot read the config file: the file does not exist' },
    ]);
    expect(error.message).toContain(`${path}: cannot read the config file: the file does not exist`);
  });

  it('names the path of a file that cannot be read', () => {
    const error = configErrorOf(() => loadConfigFile(dir));
    expect(error.message).toContain(`${dir}: cannot read the config file: it is a directory, not a file`);
  });

  it('prefixes validation errors with the path', () => {
    const path = file('bad.yaml', VALID.replace('provider: p', 'provider: q'));
    const error = configErrorOf(() => loadConfigFile(path, { env: { KEY: 'k' } }));
    expect(error.message.split('\n')[1]).toBe(
      `${path}: models.m.provider: unknown provider "q" (configured providers: p)`,
    );
  });
});

describe('YAML syntax errors', () => {
  it.each([
    ['an unclosed flow mapping', 'providers:\n  p: { preset: openai\nmodels: {}\n', 3, 1],
    ['a bad indent', 'providers:\n  p:\n    preset: openai\n   api_key: x\n', 4, 1],
    ['a duplicate key', 'models: {}\nproviders: {}\nmodels: {}\n', 3, 1],
    ['a tab indent', 'providers:\n\tp: {}\n', 2, 1],
  ])('reports %s with line and column', (_, text, line, column) => {
    const error = configErrorOf(() => parseConfig(text, { source: 'sb.yaml' }));
    expect(error.issues[0]?.path).toBe('');
    expect(error.issues[0]?.message).toMatch(
      new RegExp(`^YAML syntax error at line ${line}, column ${column}: `),
    );
    expect(error.message.split('\n')[1]).toMatch(/^sb\.yaml: YAML syntax error at line/);
  });

  it('counts columns in the original text when ${...} references precede the error', () => {
    const text = 'providers:\n  p: { api_key: ${A_LONG_VARIABLE_NAME}, base_url: ${B} }, x: 1\n';
    const error = configErrorOf(() => parseConfig(text));
    const column = text.split('\n')[1]!.indexOf('}, x') + 2;
    expect(error.issues[0]?.message).toMatch(new RegExp(`^YAML syntax error at line 2, column ${column}: `));
  });

  it('reports only the first few of a cascade', () => {
    const error = configErrorOf(() => parseConfig('a: [\n'.repeat(20)));
    expect(error.issues.length).toBeLessThanOrEqual(4);
  });
});
