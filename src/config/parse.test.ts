// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these tests are about literal ${VAR} text
import { describe, expect, it } from 'vitest';
import { baseDoc, issuesOf } from '../../test/support/config-docs.js';
import { DEFAULTS, lintConfig, PRESETS, parseConfig } from './index.js';

const FULL_EXAMPLE = `
providers:
  deepseek: { base_url: https://api.deepseek.com/v1, api_key: \${DEEPSEEK_API_KEY} }
  zhipu:    { preset: zhipu, api_key: \${ZHIPU_API_KEY} }       # presets fill base_url
  moonshot: { preset: moonshot, api_key: \${MOONSHOT_API_KEY} }
models:
  deepseek-chat:
    provider: deepseek
    model: deepseek-chat                 # upstream name; defaults to the key
    price: { input: 0.27, output: 1.10 } # USD per 1M tokens
    context_window: 128000
    fallbacks: [glm-5.1]                 # used when a request names this model directly
    rpm: 600
    tpm: 1000000
    assistant_prefill: false
    retry: { max_retries: 4 }            # per-model override, merged over the global policy
    timeouts: { attempt_ms: 30000, first_token_ms: 8000 }
  glm-5.1:     { provider: zhipu, model: glm-5.1-0414, price: { input: 1, output: 3 } }
  kimi-k2.6:   { provider: moonshot, price: { input: 0.6, output: 2.5 } }
  glm-4-flash: { provider: zhipu, price: { input: 0, output: 0 } }
routes:
  quality: [deepseek-chat, glm-5.1, kimi-k2.6, glm-4-flash]
  speed:   { models: [glm-4-flash, deepseek-chat, glm-5.1], strategy: fastest, hedge: { after_ms: 2000 } }
  speed2:  { models: [glm-4-flash, deepseek-chat], hedge: { after: p95, after_ms: 1500 } }
  balanced:
    models: [{ model: glm-5.1, weight: 3 }, { model: kimi-k2.6, weight: 1 }, deepseek-chat]
    strategy: weighted
  strict:  { models: [deepseek-chat, glm-5.1], stream_recovery: error }
  careful: { models: [deepseek-chat, glm-5.1], fallback_on_content_policy: true }
default_route: quality
retry:           { max_retries: 2, base_delay_ms: 500, max_delay_ms: 8000, max_retry_after_ms: 10000 }
circuit_breaker: { failure_threshold: 3, window_ms: 30000, cooldown_ms: 30000, max_cooldown_ms: 300000 }
timeouts:        { connect_ms: 5000, first_byte_ms: 15000, first_token_ms: 30000, stall_ms: 30000, attempt_ms: 60000, total_ms: 120000 }
retry_budget:    { ratio: 0.2, min_retries: 10, window_ms: 10000 }
server:          { host: 127.0.0.1, port: 8787, api_keys: [\${SWITCHBOARD_KEY}], max_body_bytes: 4194304 }
logging:         { level: info }
`;

const ENV = {
  DEEPSEEK_API_KEY: 'sk-ds',
  ZHIPU_API_KEY: 'zp.key',
  MOONSHOT_API_KEY: 'sk-moon',
  SWITCHBOARD_KEY: 'sb-client',
};

describe('parseConfig: the documented example', () => {
  const config = parseConfig(FULL_EXAMPLE, { env: ENV });

  it('resolves providers, filling base_url from presets', () => {
    expect({ ...config.providers }).toEqual({
      deepseek: {
        id: 'deepseek',
        type: 'openai',
        baseUrl: 'https://api.deepseek.com/v1',
        apiKey: 'sk-ds',
        headers: {},
        maxConnections: 64,
      },
      zhipu: {
        id: 'zhipu',
        type: 'openai',
        baseUrl: 'https://open.bigmodel.cn/api/paas/v4',
        apiKey: 'zp.key',
        headers: {},
        preset: 'zhipu',
        maxConnections: 64,
      },
      moonshot: {
        id: 'moonshot',
        type: 'openai',
        baseUrl: PRESETS.moonshot.baseUrl,
        apiKey: 'sk-moon',
        headers: {},
        preset: 'moonshot',
        maxConnections: 64,
      },
    });
  });

  it('merges per-model policy overrides over the global ones', () => {
    expect(config.models['deepseek-chat']).toEqual({
      id: 'deepseek-chat',
      provider: 'deepseek',
      upstreamModel: 'deepseek-chat',
      price: { inputUsdPer1M: 0.27, outputUsdPer1M: 1.1 },
      contextWindow: 128000,
      fallbacks: ['glm-5.1'],
      retry: { maxRetries: 4, baseDelayMs: 500, maxDelayMs: 8000, maxRetryAfterMs: 10000 },
      circuitBreaker: config.circuitBreaker,
      timeouts: {
        connectMs: 5000,
        firstByteMs: 15000,
        firstTokenMs: 8000,
        stallMs: 30000,
        attemptMs: 30000,
        totalMs: 120000,
      },
      rpm: 600,
      tpm: 1000000,
      assistantPrefill: false,
    });
    expect(config.models['kimi-k2.6']?.retry).toEqual(config.retry);
    expect(config.models['kimi-k2.6']?.timeouts).toEqual(config.timeouts);
  });

  it('leaves rate limits unset and assumes prefill works unless told otherwise', () => {
    const kimi = config.models['kimi-k2.6']!;
    expect(kimi).not.toHaveProperty('rpm');
    expect(kimi).not.toHaveProperty('tpm');
    expect(kimi.assistantPrefill).toBe(true);
  });

  it('defaults the upstream name to the key, and keeps an explicit one', () => {
    expect(config.models['kimi-k2.6']?.upstreamModel).toBe('kimi-k2.6');
    expect(config.models['glm-5.1']?.upstreamModel).toBe('glm-5.1-0414');
    expect(config.models['kimi-k2.6']?.contextWindow).toBeUndefined();
    expect(config.models['kimi-k2.6']?.fallbacks).toEqual([]);
  });

  it('reads both route forms, with strategies, hedges, weights and stream recovery', () => {
    const defaults = { strategy: 'ordered', streamRecovery: 'continue', fallbackOnContentPolicy: false };
    expect({ ...config.routes }).toEqual({
      quality: {
        id: 'quality',
        models: ['deepseek-chat', 'glm-5.1', 'kimi-k2.6', 'glm-4-flash'],
        weights: [1, 1, 1, 1],
        ...defaults,
      },
      speed: {
        id: 'speed',
        models: ['glm-4-flash', 'deepseek-chat', 'glm-5.1'],
        weights: [1, 1, 1],
        ...defaults,
        strategy: 'fastest',
        hedge: { afterMs: 2000 },
      },
      speed2: {
        id: 'speed2',
        models: ['glm-4-flash', 'deepseek-chat'],
        weights: [1, 1],
        ...defaults,
        hedge: { afterMs: 1500, afterPercentile: 95 },
      },
      balanced: {
        id: 'balanced',
        models: ['glm-5.1', 'kimi-k2.6', 'deepseek-chat'],
        weights: [3, 1, 1],
        ...defaults,
        strategy: 'weighted',
      },
      strict: {
        id: 'strict',
        models: ['deepseek-chat', 'glm-5.1'],
        weights: [1, 1],
        ...defaults,
        streamRecovery: 'error',
      },
      careful: {
        id: 'careful',
        models: ['deepseek-chat', 'glm-5.1'],
        weights: [1, 1],
        ...defaults,
        fallbackOnContentPolicy: true,
      },
    });
    expect(config.routes.quality).not.toHaveProperty('hedge');
    expect(config.defaultRoute).toBe('quality');
  });

  it.each([
    ['p95', { afterPercentile: 95 }],
    ['p99.9', { afterPercentile: 99.9 }],
    ['p1', { afterPercentile: 1 }],
    ['p50.5', { afterPercentile: 50.5 }],
  ])('reads hedge after: %s as a percentile, with after_ms optional', (after, expected) => {
    const doc = baseDoc();
    doc.routes = { quality: { models: ['deepseek-chat', 'glm-5.1'], hedge: { after } } };
    expect(parseConfig(doc).routes.quality?.hedge).toEqual(expected);
  });

  it('reads weights in the short form, and numbers that arrive as strings', () => {
    const doc = baseDoc();
    doc.routes = {
      quality: [{ model: 'deepseek-chat', weight: '${W:-2.5}' }, 'glm-5.1', { model: 'glm-4-flash' }],
    };
    const route = parseConfig(doc, { env: {} }).routes.quality;
    expect(route?.models).toEqual(['deepseek-chat', 'glm-5.1', 'glm-4-flash']);
    expect(route?.weights).toEqual([2.5, 1, 1]);
  });

  it('reads the global sections', () => {
    expect(config.retry).toEqual(DEFAULTS.retry);
    // The documented example writes max_cooldown_ms: 300000, ten times the default.
    expect(config.circuitBreaker).toEqual({ ...DEFAULTS.circuitBreaker, maxCooldownMs: 300000 });
    expect(config.timeouts).toEqual(DEFAULTS.timeouts);
    expect(config.retryBudget).toEqual(DEFAULTS.retryBudget);
    expect(config.server).toEqual({
      host: '127.0.0.1',
      port: 8787,
      apiKeys: ['sb-client'],
      maxBodyBytes: 4194304,
    });
    expect(config.logging).toEqual({ level: 'info' });
  });

  it('has nothing to lint', () => {
    expect(lintConfig(config)).toEqual([]);
  });
});

describe('parseConfig: defaults', () => {
  const minimal = `
providers:
  local: { preset: ollama }
models:
  llama: { provider: local }
`;

  it('applies every default when sections are absent', () => {
    const config = parseConfig(minimal, { env: {} });
    expect(config.retry).toEqual({
      maxRetries: 2,
      baseDelayMs: 500,
      maxDelayMs: 8000,
      maxRetryAfterMs: 10000,
    });
    expect(config.circuitBreaker).toEqual({
      failureThreshold: 3,
      windowMs: 30000,
      cooldownMs: 30000,
      maxCooldownMs: 30000,
    });
    expect(config.timeouts).toEqual({
      connectMs: 5000,
      firstByteMs: 15000,
      firstTokenMs: 30000,
      stallMs: 30000,
      attemptMs: 60000,
      totalMs: 120000,
    });
    expect(config.retryBudget).toEqual({ ratio: 0.2, minRetriesPerWindow: 10, windowMs: 10000 });
    expect(config.models.llama).toEqual({
      id: 'llama',
      provider: 'local',
      upstreamModel: 'llama',
      fallbacks: [],
      retry: DEFAULTS.retry,
      circuitBreaker: DEFAULTS.circuitBreaker,
      timeouts: DEFAULTS.timeouts,
      assistantPrefill: true,
    });
    expect(config.server).toEqual({ host: '127.0.0.1', port: 8787, apiKeys: [], maxBodyBytes: 4194304 });
    expect(config.logging).toEqual({ level: 'info' });
    expect(config.routes).toEqual({});
    expect(config.defaultRoute).toBeUndefined();
    expect(config.providers.local).toEqual({
      id: 'local',
      type: 'openai',
      baseUrl: 'http://127.0.0.1:11434/v1',
      headers: {},
      preset: 'ollama',
      maxConnections: 64,
    });
  });

  it('merges a partial global section over the defaults', () => {
    const config = parseConfig(`${minimal}retry: { max_retries: 5 }\nserver: { port: 9000 }\n`, { env: {} });
    expect(config.retry).toEqual({ ...DEFAULTS.retry, maxRetries: 5 });
    expect(config.models.llama?.retry).toEqual({ ...DEFAULTS.retry, maxRetries: 5 });
    expect(config.server).toEqual({ ...DEFAULTS.server, port: 9000 });
  });

  it('merges a partial retry_budget over the defaults', () => {
    const config = parseConfig(`${minimal}retry_budget: { ratio: 0, window_ms: 60000 }\n`, { env: {} });
    expect(config.retryBudget).toEqual({ ratio: 0, minRetriesPerWindow: 10, windowMs: 60000 });
  });

  it('merges per-model timeouts over the global ones, new keys included', () => {
    const config = parseConfig(
      `${minimal.replace('llama: { provider: local }', 'llama: { provider: local, timeouts: { first_token_ms: 8000 } }')}` +
        '  other: { provider: local }\ntimeouts: { first_token_ms: 20000, stall_ms: 5000 }\n',
      { env: {} },
    );
    expect(config.timeouts).toEqual({ ...DEFAULTS.timeouts, firstTokenMs: 20000, stallMs: 5000 });
    expect(config.models.llama?.timeouts).toEqual({
      ...DEFAULTS.timeouts,
      firstTokenMs: 8000,
      stallMs: 5000,
    });
    expect(config.models.other?.timeouts).toEqual(config.timeouts);
  });

  it('allows first_token_ms below first_byte_ms', () => {
    const config = parseConfig(`${minimal}timeouts: { first_byte_ms: 15000, first_token_ms: 1000 }\n`, {
      env: {},
    });
    expect(config.timeouts.firstTokenMs).toBe(1000);
  });

  it('treats an empty section (YAML null) as absent', () => {
    const config = parseConfig(`${minimal}retry:\ntimeouts: ~\nretry_budget:\n`, { env: {} });
    expect(config.retry).toEqual(DEFAULTS.retry);
    expect(config.timeouts).toEqual(DEFAULTS.timeouts);
    expect(config.retryBudget).toEqual(DEFAULTS.retryBudget);
  });

  it('treats empty optional keys of models and routes as absent', () => {
    const doc = baseDoc();
    doc.models['glm-5.1'] = { provider: 'zhipu', rpm: null, tpm: null, assistant_prefill: null };
    doc.routes = {
      quality: { models: ['glm-5.1', 'deepseek-chat'], strategy: null, hedge: null, stream_recovery: null },
    };
    const config = parseConfig(doc);
    expect(config.models['glm-5.1']).not.toHaveProperty('rpm');
    expect(config.models['glm-5.1']?.assistantPrefill).toBe(true);
    expect(config.routes.quality).toEqual({
      id: 'quality',
      models: ['glm-5.1', 'deepseek-chat'],
      weights: [1, 1],
      strategy: 'ordered',
      streamRecovery: 'continue',
      fallbackOnContentPolicy: false,
    });
  });

  it('supports YAML anchors, aliases and merge keys', () => {
    const config = parseConfig(
      `${minimal.replace('llama: { provider: local }', 'llama: &m { provider: local, retry: { max_retries: 7 } }')}` +
        '  llama-fast: { <<: *m, model: llama-3-8b }\n',
      { env: {} },
    );
    expect(config.models['llama-fast']?.upstreamModel).toBe('llama-3-8b');
    expect(config.models['llama-fast']?.retry.maxRetries).toBe(7);
  });

  it('defaults default_route to the first route', () => {
    const doc = baseDoc();
    doc.routes = { speed: ['glm-4-flash', 'deepseek-chat'], quality: ['deepseek-chat', 'glm-5.1'] };
    expect(parseConfig(doc).defaultRoute).toBe('speed');
  });
});

describe('parseConfig: providers and server details', () => {
  it('reads the wire a provider speaks: type anthropic / gemini fill in the vendor base URL', () => {
    const doc = baseDoc();
    doc.providers.anthropic = { type: 'anthropic', api_key: 'sk-ant' };
    doc.providers.google = { type: 'gemini', api_key: 'g-key' };
    doc.providers.proxy = { type: 'anthropic', base_url: 'https://claude.internal.example/' };
    const { providers } = parseConfig(doc);
    expect(providers.anthropic).toMatchObject({ type: 'anthropic', baseUrl: 'https://api.anthropic.com' });
    expect(providers.google).toMatchObject({
      type: 'gemini',
      baseUrl: 'https://generativelanguage.googleapis.com',
    });
    expect(providers.proxy).toMatchObject({ type: 'anthropic', baseUrl: 'https://claude.internal.example' });
    expect(providers.deepseek?.type).toBe('openai');
    expect(providers.zhipu?.type).toBe('openai');
  });

  it('refuses a type that contradicts its preset without a base_url of its own', () => {
    const doc = baseDoc();
    doc.providers.zhipu = { preset: 'zhipu', type: 'gemini', api_key: 'k' };
    expect(issuesOf(() => parseConfig(doc))).toEqual([
      {
        path: 'providers.zhipu.type',
        message:
          'is gemini but preset "zhipu" speaks openai; set base_url to the endpoint that speaks gemini, or drop one of the two',
      },
    ]);
  });

  it('reads cache prices and max_output_tokens', () => {
    const doc = baseDoc();
    doc.models['deepseek-chat'] = {
      provider: 'deepseek',
      price: { input: 3, output: 15, cache_read: 0.3, cache_write: 3.75 },
      max_output_tokens: 8192,
    };
    const model = parseConfig(doc).models['deepseek-chat'];
    expect(model?.price).toEqual({
      inputUsdPer1M: 3,
      outputUsdPer1M: 15,
      cacheReadUsdPer1M: 0.3,
      cacheWriteUsdPer1M: 3.75,
    });
    expect(model?.maxOutputTokens).toBe(8192);
    expect(parseConfig(baseDoc()).models['glm-5.1']?.maxOutputTokens).toBeUndefined();
  });

  it('lets base_url override a preset and trims trailing slashes', () => {
    const doc = baseDoc();
    doc.providers.zhipu = { preset: 'zhipu', base_url: 'https://api.z.ai/api/paas/v4/', api_key: 'k' };
    const zhipu = parseConfig(doc).providers.zhipu;
    expect(zhipu?.baseUrl).toBe('https://api.z.ai/api/paas/v4');
    expect(zhipu?.preset).toBe('zhipu');
  });

  it('reads headers and max_connections', () => {
    const doc = baseDoc();
    doc.providers.deepseek = {
      base_url: 'https://openrouter.ai/api/v1',
      api_key: 'k',
      headers: { 'HTTP-Referer': 'https://example.com', 'X-Title': 'Switchboard' },
      max_connections: 8,
    };
    const provider = parseConfig(doc).providers.deepseek;
    expect(provider?.headers).toEqual({ 'HTTP-Referer': 'https://example.com', 'X-Title': 'Switchboard' });
    expect(provider?.maxConnections).toBe(8);
  });

  it('treats an empty api_key as no key (keyless upstreams)', () => {
    const config = parseConfig(
      'providers:\n  vllm: { preset: vllm, api_key: "${VLLM_KEY:-}" }\nmodels:\n  qwen: { provider: vllm }\n',
      { env: {} },
    );
    expect(config.providers.vllm).not.toHaveProperty('apiKey');
  });

  it.each([
    ['a single string', 'api_keys: ${KEY}', ['k1']],
    ['a list, dropping empty strings', 'api_keys: [${KEY}, "", "${OTHER:-}"]', ['k1']],
    ['an unset optional key', 'api_keys: "${OTHER:-}"', []],
  ])('reads server.api_keys given as %s', (_, line, expected) => {
    const doc = `providers:\n  p: { preset: ollama }\nmodels:\n  m: { provider: p }\nserver:\n  ${line}\n`;
    expect(parseConfig(doc, { env: { KEY: 'k1' } }).server.apiKeys).toEqual(expected);
  });

  it('accepts numbers and booleans that arrive as strings from the environment', () => {
    const doc = baseDoc();
    doc.server = { port: '${PORT}', max_body_bytes: '${MAX_BODY:-1024}' };
    doc.routes = { quality: { models: ['deepseek-chat', 'glm-5.1'], fallback_on_content_policy: '${FOCP}' } };
    doc.models['glm-5.1'] = { provider: 'zhipu', rpm: '${RPM}', assistant_prefill: '${PREFILL}' };
    doc.retry_budget = { ratio: '${RATIO}' };
    const config = parseConfig(doc, {
      env: { PORT: '9999', FOCP: 'true', RPM: '60', PREFILL: 'false', RATIO: '0.5' },
    });
    expect(config.server.port).toBe(9999);
    expect(config.server.maxBodyBytes).toBe(1024);
    expect(config.routes.quality?.fallbackOnContentPolicy).toBe(true);
    expect(config.models['glm-5.1']?.rpm).toBe(60);
    expect(config.models['glm-5.1']?.assistantPrefill).toBe(false);
    expect(config.retryBudget.ratio).toBe(0.5);
  });

  it('takes an already-parsed object and does not modify it', () => {
    const doc = baseDoc();
    doc.providers.deepseek = { base_url: 'https://api.deepseek.com/v1', api_key: '${KEY}' };
    const before = structuredClone(doc);
    const config = parseConfig(doc, { env: { KEY: 'from-env' } });
    expect(config.providers.deepseek?.apiKey).toBe('from-env');
    expect(doc).toEqual(before);
  });
});

describe('parseConfig: the result', () => {
  const config = parseConfig(FULL_EXAMPLE, { env: ENV });

  it('is deeply frozen', () => {
    const reachable: unknown[] = [
      config,
      config.providers,
      config.providers.deepseek,
      config.providers.deepseek?.headers,
      config.models,
      config.models['deepseek-chat'],
      config.models['deepseek-chat']?.price,
      config.models['deepseek-chat']?.fallbacks,
      config.models['deepseek-chat']?.retry,
      config.routes.quality?.models,
      config.routes.balanced?.weights,
      config.routes.speed?.hedge,
      config.retryBudget,
      config.server.apiKeys,
      config.logging,
    ];
    for (const value of reachable) expect(Object.isFrozen(value)).toBe(true);
    expect(() => {
      (config.retry as { maxRetries: number }).maxRetries = 9;
    }).toThrow(TypeError);
    expect(() => (config.routes.quality!.models as string[]).push('x')).toThrow(TypeError);
  });

  it('finds nothing under prototype names when looking up client-supplied names', () => {
    expect(config.models.constructor).toBeUndefined();
    expect(config.routes.toString).toBeUndefined();
    const protoKey: string = ['__', 'proto', '__'].join('');
    expect(config.providers[protoKey]).toBeUndefined();
  });

  it('keeps DEFAULTS frozen and untouched', () => {
    expect(Object.isFrozen(DEFAULTS.retry)).toBe(true);
    expect(DEFAULTS.retry.maxRetries).toBe(2);
  });
});
