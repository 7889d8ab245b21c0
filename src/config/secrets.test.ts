// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these tests are about literal ${VAR} text
import { describe, expect, it } from 'vitest';
import { baseDoc, configErrorOf } from '../../test/support/config-docs.js';
import { lintConfig, parseConfig } from './index.js';

describe('secrets', () => {
  const LITERAL = 'sk-LITERAL-SECRET-7f3a9c';
  const FROM_ENV = 'sk-ENV-SECRET-91bc04';
  const CLIENT = 'sb-CLIENT-SECRET-55d1e2';
  const IN_URL = 'URL-SECRET-0a8f';

  const secrets = [LITERAL, FROM_ENV, CLIENT, IN_URL, 'SECRET'];
  const expectNoSecret = (text: string) => {
    for (const secret of secrets) expect(text).not.toContain(secret);
  };

  it('never appear in errors', () => {
    const yaml = `
providers:
  deepseek: { base_url: "https://user:${IN_URL}@api.deepseek.com/v1?key=${IN_URL}", api_key: ${LITERAL} }
  zhipu: { preset: zhipu, api_key: \${ZHIPU_API_KEY}, api_kye: ${LITERAL}, headers: { "Bad Header": ${LITERAL} } }
  moonshot: { preset: moonshot, api_key: 1234567890, max_connections: ${LITERAL} }
models:
  deepseek-chat: { provider: deepseek }
  glm-5.1: { provider: zhipuu }
routes:
  quality: [deepseek-chat, kimi-k2.7]
server:
  api_keys: [${CLIENT}, \${CLIENT_KEY}, 42]
  host: \${BAD_REF
`;
    const error = configErrorOf(() =>
      parseConfig(yaml, { env: { ZHIPU_API_KEY: FROM_ENV, CLIENT_KEY: CLIENT }, source: 'sb.yaml' }),
    );
    expect(error.issues.length).toBeGreaterThanOrEqual(7);
    expectNoSecret(error.message);
    expectNoSecret(JSON.stringify(error.issues));
    expectNoSecret(String(error.stack));
  });

  it('never appear in YAML syntax errors', () => {
    const yaml = `providers:\n  a: { api_key: "${LITERAL}\n  b: [${LITERAL}}\n`;
    const error = configErrorOf(() => parseConfig(yaml));
    expect(error.issues[0]?.message).toMatch(/^YAML syntax error at line \d+, column \d+: /);
    expectNoSecret(error.message);
    expect(error.cause).toBeUndefined();
  });

  it('never appear in lint warnings', () => {
    const doc = baseDoc();
    doc.providers.deepseek!.api_key = LITERAL;
    doc.providers.zhipu!.api_key = '${ZHIPU_API_KEY}';
    doc.server = { api_keys: [CLIENT] };
    doc.models['deepseek-reasoner'] = { provider: 'deepseek' };
    doc.routes.solo = ['deepseek-reasoner'];
    doc.routes.quality = ['deepseek-chat', 'deepseek-reasoner'];
    const warnings = lintConfig(parseConfig(doc, { env: { ZHIPU_API_KEY: FROM_ENV } }));
    expect(warnings.length).toBeGreaterThan(0);
    expectNoSecret(JSON.stringify(warnings));
  });
});
