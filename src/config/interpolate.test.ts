// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these tests are about literal ${VAR} text
import { describe, expect, it } from 'vitest';
import { issuesOf } from '../../test/support/config-docs.js';
import { parseConfig } from './index.js';
import { interpolateEnv } from './interpolate.js';

const env = { KEY: 'v', EMPTY: '', SPECIAL: 'a: b, {c} [d] #e "f" \'g\' ${KEY}' };

describe('interpolateEnv', () => {
  it.each([
    ['${KEY}', 'v'],
    ['prefix-${KEY}-suffix', 'prefix-v-suffix'],
    ['${KEY}${KEY}', 'vv'],
    ['${MISSING:-fallback}', 'fallback'],
    ['${MISSING:-}', ''],
    ['${EMPTY:-fallback}', 'fallback'],
    ['${EMPTY}', ''],
    ['${KEY:-fallback}', 'v'],
    ['${MISSING:-a:-b c}', 'a:-b c'],
    ['$${KEY}', '${KEY}'],
    ['$$${KEY}', '$${KEY}'],
    ['cost $5 and $KEY', 'cost $5 and $KEY'],
    ['no references', 'no references'],
    ['${SPECIAL}', env.SPECIAL],
  ])('%s → %s', (input, expected) => {
    expect(interpolateEnv({ a: input }, env)).toEqual({ value: { a: expected }, issues: [] });
  });

  it('does not expand the expanded text again', () => {
    expect(interpolateEnv('${SPECIAL}', env).value).toContain('${KEY}');
  });

  it('reports an unset variable with its path', () => {
    const { issues } = interpolateEnv({ providers: { deepseek: { api_key: '${DEEPSEEK_API_KEY}' } } }, {});
    expect(issues).toEqual([
      { path: 'providers.deepseek.api_key', message: 'environment variable DEEPSEEK_API_KEY is not set' },
    ]);
  });

  it("with unset 'empty', an unset variable expands to nothing and a fallback still applies", () => {
    const input = { key: '${DEEPSEEK_API_KEY}', url: 'x${MISSING}y', other: '${MISSING:-z}' };
    expect(interpolateEnv(input, {}, 'empty')).toEqual({
      value: { key: '', url: 'xy', other: 'z' },
      issues: [],
    });
  });

  it('names list positions with brackets', () => {
    const { issues } = interpolateEnv({ server: { api_keys: ['ok', '${A}', '${B}'] } }, {});
    expect(issues.map((issue) => issue.path)).toEqual(['server.api_keys[1]', 'server.api_keys[2]']);
  });

  it.each(['${', '${KEY', '${}', '${1ABC}', '${KEY-x}', '${A:-${B}}', 'x ${bad name} y'])(
    'reports a malformed reference: %s',
    (input) => {
      const { issues } = interpolateEnv({ a: input }, env);
      expect(issues).toHaveLength(1);
      expect(issues[0]?.path).toBe('a');
      expect(issues[0]?.message).toMatch(/^malformed \$\{\.\.\.\} reference at character \d+: /);
    },
  );

  it('leaves mapping keys, numbers, booleans and nulls alone', () => {
    const input = { '${KEY}': 1, b: true, c: null, d: [2, '${KEY}'] };
    expect(interpolateEnv(input, env).value).toEqual({ '${KEY}': 1, b: true, c: null, d: [2, 'v'] });
  });
});

describe('parseConfig: interpolation', () => {
  const yaml =
    'providers:\n  p: { base_url: "${BASE:-http://127.0.0.1:8000/v1}", api_key: ${P_KEY} }\nmodels:\n  m: { provider: p }\n';

  it('expands after YAML parsing, so secrets with YAML-special characters are safe', () => {
    const secret = 'a: b, {c} [d] #e "f" \'g\' &h *i !j |k >l %m @n `o';
    const config = parseConfig(yaml, { env: { P_KEY: secret } });
    expect(config.providers.p?.apiKey).toBe(secret);
    expect(config.providers.p?.baseUrl).toBe('http://127.0.0.1:8000/v1');
  });

  it('works unquoted inside flow collections, and in block and quoted scalars', () => {
    const text = `
providers:
  p:
    base_url: \${BASE}
    api_key: "Bearer-\${P_KEY}"
    headers: { X-A: \${P_KEY}, X-B: 'q-\${P_KEY}', X-C: literal-$\${P_KEY} }
models:
  m: { provider: p, fallbacks: [\${OTHER}] }
  n: { provider: p }
`;
    const config = parseConfig(text, { env: { BASE: 'https://x.test/v1', P_KEY: 'k', OTHER: 'n' } });
    expect(config.providers.p?.baseUrl).toBe('https://x.test/v1');
    expect(config.providers.p?.apiKey).toBe('Bearer-k');
    expect(config.providers.p?.headers).toEqual({ 'X-A': 'k', 'X-B': 'q-k', 'X-C': 'literal-${P_KEY}' });
    expect(config.models.m?.fallbacks).toEqual(['n']);
  });

  it('reads process.env by default', () => {
    process.env.SWITCHBOARD_TEST_INTERPOLATION_KEY = 'from-process-env';
    try {
      const text = yaml.replace('${P_KEY}', '${SWITCHBOARD_TEST_INTERPOLATION_KEY}');
      expect(parseConfig(text).providers.p?.apiKey).toBe('from-process-env');
    } finally {
      delete process.env.SWITCHBOARD_TEST_INTERPOLATION_KEY;
    }
  });

  it('names the variable and the path of an unset variable', () => {
    expect(issuesOf(() => parseConfig(yaml, { env: {} }))).toEqual([
      { path: 'providers.p.api_key', message: 'environment variable P_KEY is not set' },
    ]);
  });
});
