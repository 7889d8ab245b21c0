// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these tests are about literal ${VAR} text
import { describe, expect, it } from 'vitest';
import { baseDoc, configErrorOf, type FileDoc, issuesOf } from '../../test/support/config-docs.js';
import { SwitchboardError } from '../common/errors.js';
import { ConfigError, PRESET_NAMES, parseConfig } from './index.js';

const MODELS = 'configured models: deepseek-chat, glm-5.1, glm-4-flash';
const PRESETS_LIST = `known presets: ${PRESET_NAMES.join(', ')}`;

type Case = [name: string, change: (doc: FileDoc) => void, path: string, message: string];

const cases: Case[] = [
  [
    'unknown model in a route',
    (d) => {
      d.routes.quality = ['deepseek-chat', 'glm-5.1', 'kimi-k2.7'];
    },
    'routes.quality[2]',
    `unknown model "kimi-k2.7" (${MODELS})`,
  ],
  [
    'unknown model in a long-form route',
    (d) => {
      d.routes.careful = { models: ['deepseek-chat', 'nope'] };
    },
    'routes.careful.models[1]',
    `unknown model "nope" (${MODELS})`,
  ],
  [
    'unknown model in fallbacks',
    (d) => {
      d.models['deepseek-chat']!.fallbacks = ['glm-5.1', 'gpt-9'];
    },
    'models.deepseek-chat.fallbacks[1]',
    `unknown model "gpt-9" (${MODELS})`,
  ],
  [
    'unknown provider',
    (d) => {
      d.models['glm-5.1']!.provider = 'foo';
    },
    'models.glm-5.1.provider',
    'unknown provider "foo" (configured providers: deepseek, zhipu)',
  ],
  [
    'unknown default route',
    (d) => {
      d.default_route = 'fast';
    },
    'default_route',
    'unknown route "fast" (configured routes: quality)',
  ],
  [
    'default route without routes',
    (d) => {
      d.routes = {};
      d.default_route = 'fast';
    },
    'default_route',
    'unknown route "fast" (no routes are configured)',
  ],
  [
    'provider without base_url or preset',
    (d) => {
      d.providers.bare = { api_key: 'k' };
    },
    'providers.bare',
    `needs base_url or a preset (${PRESETS_LIST})`,
  ],
  [
    'unknown preset',
    (d) => {
      d.providers.zhipu = { preset: 'zhipuai', api_key: 'k' };
    },
    'providers.zhipu.preset',
    `unknown preset "zhipuai" (${PRESETS_LIST})`,
  ],
  [
    'route named like a model',
    (d) => {
      d.routes['glm-5.1'] = ['glm-5.1', 'deepseek-chat'];
    },
    'routes.glm-5.1',
    'route name "glm-5.1" is also a model name; a client asking for "glm-5.1" would be ambiguous',
  ],
  [
    'duplicate in a route',
    (d) => {
      d.routes.quality = ['deepseek-chat', 'glm-5.1', 'deepseek-chat'];
    },
    'routes.quality[2]',
    '"deepseek-chat" is already in the chain at routes.quality[0]',
  ],
  [
    'duplicate in fallbacks',
    (d) => {
      d.models['deepseek-chat']!.fallbacks = ['glm-5.1', 'glm-4-flash', 'glm-5.1'];
    },
    'models.deepseek-chat.fallbacks[2]',
    '"glm-5.1" is already in the chain at models.deepseek-chat.fallbacks[0]',
  ],
  [
    'a model falling back to itself',
    (d) => {
      d.models['glm-5.1']!.fallbacks = ['glm-5.1'];
    },
    'models.glm-5.1.fallbacks[0]',
    '"glm-5.1" is the model itself; a model cannot fall back to itself',
  ],
  [
    'empty route',
    (d) => {
      d.routes.quality = [];
    },
    'routes.quality',
    'a route needs at least one model',
  ],
  [
    'empty long-form route',
    (d) => {
      d.routes.quality = { models: [] };
    },
    'routes.quality.models',
    'a route needs at least one model',
  ],
  [
    'route of the wrong shape',
    (d) => {
      d.routes.quality = 'deepseek-chat';
    },
    'routes.quality',
    'must be a list of model names, or a mapping with `models:`',
  ],
  [
    'typo in a global policy key',
    (d) => {
      d.retry = { max_retry: 3 };
    },
    'retry.max_retry',
    'unknown key; did you mean "max_retries"? (allowed: max_retries, base_delay_ms, max_delay_ms, max_retry_after_ms)',
  ],
  [
    'typo in a per-model policy key',
    (d) => {
      d.models['glm-5.1']!.circuit_breaker = { cooldown: 1000 };
    },
    'models.glm-5.1.circuit_breaker.cooldown',
    'unknown key; did you mean "cooldown_ms"? (allowed: failure_threshold, window_ms, cooldown_ms, max_cooldown_ms)',
  ],
  [
    'camelCase key',
    (d) => {
      d.providers.deepseek = { baseUrl: 'https://api.deepseek.com/v1', base_url: 'https://x.test/v1' };
    },
    'providers.deepseek.baseUrl',
    'unknown key; did you mean "base_url"? (allowed: type, base_url, preset, api_key, headers, max_connections)',
  ],
  [
    'unknown top-level key',
    (d) => {
      d.route = {};
    },
    'route',
    'unknown key; did you mean "routes"? (allowed: providers, models, routes, default_route, retry, circuit_breaker, timeouts, health_probe, adaptive_timeouts, retry_budget, server, logging, ledger, state, telemetry)',
  ],
  [
    'missing provider',
    (d) => {
      d.models['glm-5.1'] = { price: { input: 1, output: 1 } };
    },
    'models.glm-5.1.provider',
    'is required',
  ],
  [
    'non-http base_url',
    (d) => {
      d.providers.deepseek!.base_url = 'ftp://api.deepseek.com';
    },
    'providers.deepseek.base_url',
    'must be an http(s) URL (the scheme is ftp)',
  ],
  [
    'base_url that is not a URL',
    (d) => {
      d.providers.deepseek!.base_url = 'api.deepseek.com/v1';
    },
    'providers.deepseek.base_url',
    'must be an http(s) URL, such as https://api.example.com/v1',
  ],
  [
    'base_url with a query string',
    (d) => {
      d.providers.deepseek!.base_url = 'https://x.test/v1?version=2';
    },
    'providers.deepseek.base_url',
    'must not have a query string or fragment (requests go to <base_url>/chat/completions)',
  ],
  [
    'zero max_connections',
    (d) => {
      d.providers.deepseek!.max_connections = 0;
    },
    'providers.deepseek.max_connections',
    'must be at least 1',
  ],
  [
    'fractional integer',
    (d) => {
      d.models['glm-5.1']!.context_window = 1.5;
    },
    'models.glm-5.1.context_window',
    'must be an integer',
  ],
  [
    'negative price',
    (d) => {
      d.models['glm-5.1']!.price = { input: -1, output: 1 };
    },
    'models.glm-5.1.price.input',
    'must be at least 0',
  ],
  [
    'wrong type',
    (d) => {
      d.timeouts = { total_ms: 'soon' };
    },
    'timeouts.total_ms',
    'must be an integer, not a string',
  ],
  [
    'port out of range',
    (d) => {
      d.server = { port: 70000 };
    },
    'server.port',
    'must be at most 65535',
  ],
  [
    'number where a string belongs',
    (d) => {
      d.providers.deepseek!.api_key = 12345;
    },
    'providers.deepseek.api_key',
    'must be a string, not a number (put it in quotes)',
  ],
  [
    'unknown log level',
    (d) => {
      d.logging = { level: 'verbose' };
    },
    'logging.level',
    'must be one of: fatal, error, warn, info, debug, trace, silent',
  ],
  [
    'invalid header name',
    (d) => {
      d.providers.deepseek!.headers = { 'X Title': 'a' };
    },
    'providers.deepseek.headers.X Title',
    'is not a valid HTTP header name',
  ],
  [
    'model entry left empty',
    (d) => {
      d.models['glm-5.1'] = null as never;
    },
    'models.glm-5.1',
    'is empty; expected a mapping',
  ],
  [
    'global max delay below base delay',
    (d) => {
      d.retry = { max_delay_ms: 100 };
    },
    'retry.max_delay_ms',
    'must be at least base_delay_ms (500)',
  ],
  [
    'per-model base delay above the global max delay',
    (d) => {
      d.models['glm-5.1']!.retry = { base_delay_ms: 9000 };
    },
    'models.glm-5.1.retry.base_delay_ms',
    'must be at most max_delay_ms (8000)',
  ],
  [
    'cooldown above max cooldown',
    (d) => {
      // An unset max_cooldown_ms follows the cooldown; only one that is set can conflict with it.
      d.circuit_breaker = { max_cooldown_ms: 300000 };
      d.models['glm-5.1']!.circuit_breaker = { cooldown_ms: 600000 };
    },
    'models.glm-5.1.circuit_breaker.cooldown_ms',
    'must be at most max_cooldown_ms (300000)',
  ],
  [
    'unknown model in a weighted entry',
    (d) => {
      d.routes.balanced = { models: [{ model: 'x', weight: 2 }, 'glm-5.1'], strategy: 'weighted' };
    },
    'routes.balanced.models[0].model',
    `unknown model "x" (${MODELS})`,
  ],
  [
    'unknown model in a weighted entry of a short-form route',
    (d) => {
      d.routes.quality = ['glm-5.1', { model: 'x' }];
    },
    'routes.quality[1].model',
    `unknown model "x" (${MODELS})`,
  ],
  [
    'duplicate between a weighted entry and a bare name',
    (d) => {
      d.routes.balanced = { models: ['glm-5.1', 'deepseek-chat', { model: 'glm-5.1', weight: 3 }] };
    },
    'routes.balanced.models[2].model',
    '"glm-5.1" is already in the chain at routes.balanced.models[0]',
  ],
  [
    'duplicate weighted entries',
    (d) => {
      d.routes.balanced = {
        models: [
          { model: 'glm-5.1', weight: 3 },
          { model: 'glm-5.1', weight: 1 },
        ],
      };
    },
    'routes.balanced.models[1].model',
    '"glm-5.1" is already in the chain at routes.balanced.models[0]',
  ],
  [
    'zero weight',
    (d) => {
      d.routes.balanced = { models: ['glm-5.1', { model: 'deepseek-chat', weight: 0 }] };
    },
    'routes.balanced.models[1].weight',
    'must be greater than 0',
  ],
  [
    'negative weight in a short-form route',
    (d) => {
      d.routes.quality = [{ model: 'glm-5.1', weight: -1 }, 'deepseek-chat'];
    },
    'routes.quality[0].weight',
    'must be greater than 0',
  ],
  [
    'weight that is not a number',
    (d) => {
      d.routes.balanced = { models: [{ model: 'glm-5.1', weight: 'heavy' }, 'deepseek-chat'] };
    },
    'routes.balanced.models[0].weight',
    'must be a number, not a string',
  ],
  [
    'weighted entry without a model',
    (d) => {
      d.routes.balanced = { models: [{ weight: 2 }, 'deepseek-chat'] };
    },
    'routes.balanced.models[0].model',
    'is required',
  ],
  [
    'typo in a weighted entry',
    (d) => {
      d.routes.balanced = { models: [{ model: 'glm-5.1', wieght: 2 }, 'deepseek-chat'] };
    },
    'routes.balanced.models[0].wieght',
    'unknown key; did you mean "weight"? (allowed: model, weight)',
  ],
  [
    'route entry of the wrong shape',
    (d) => {
      d.routes.balanced = { models: ['glm-5.1', 42] };
    },
    'routes.balanced.models[1]',
    'must be a model name, or a mapping with `model:` and an optional `weight:`',
  ],
  [
    'unknown strategy',
    (d) => {
      d.routes.speed = { models: ['glm-5.1', 'deepseek-chat'], strategy: 'fast' };
    },
    'routes.speed.strategy',
    'must be one of: ordered, fastest, cheapest, weighted',
  ],
  [
    'unknown stream_recovery',
    (d) => {
      d.routes.strict = { models: ['glm-5.1', 'deepseek-chat'], stream_recovery: 'retry' };
    },
    'routes.strict.stream_recovery',
    'must be one of: continue, error',
  ],
  [
    'typo in a route key',
    (d) => {
      d.routes.strict = { models: ['glm-5.1', 'deepseek-chat'], stream_recover: 'error' };
    },
    'routes.strict.stream_recover',
    'unknown key; did you mean "stream_recovery"? (allowed: models, strategy, hedge, stream_recovery, fallback_on_content_policy, wait_for_preferred_ms)',
  ],
  [
    'hedge with neither after_ms nor after',
    (d) => {
      d.routes.speed = { models: ['glm-5.1', 'deepseek-chat'], hedge: {} };
    },
    'routes.speed.hedge',
    'needs after_ms, after (a percentile such as p95), or both',
  ],
  [
    'hedge with a misspelt key (reported once)',
    (d) => {
      d.routes.speed = { models: ['glm-5.1', 'deepseek-chat'], hedge: { after_sm: 2000 } };
    },
    'routes.speed.hedge.after_sm',
    'unknown key; did you mean "after_ms"? (allowed: after_ms, after)',
  ],
  [
    'hedge after_ms of zero',
    (d) => {
      d.routes.speed = { models: ['glm-5.1', 'deepseek-chat'], hedge: { after_ms: 0 } };
    },
    'routes.speed.hedge.after_ms',
    'must be at least 1',
  ],
  ...['95', 'P95', 'p', 'p100', 'p0', 'p0.5', 'p99.95', 'p95%', 'p.5'].map(
    (after): Case => [
      `hedge after: ${after}`,
      (d) => {
        d.routes.speed = { models: ['glm-5.1', 'deepseek-chat'], hedge: { after, after_ms: 1500 } };
      },
      'routes.speed.hedge.after',
      'must be a percentile written pNN, from p1 to p99.9 (such as p95 or p99.9)',
    ],
  ),
  [
    'hedge after given as a number',
    (d) => {
      d.routes.speed = { models: ['glm-5.1', 'deepseek-chat'], hedge: { after: 95 } };
    },
    'routes.speed.hedge.after',
    'must be a percentile written pNN, from p1 to p99.9 (such as p95 or p99.9)',
  ],
  [
    'zero stall_ms',
    (d) => {
      d.timeouts = { stall_ms: 0 };
    },
    'timeouts.stall_ms',
    'must be at least 1',
  ],
  [
    'fractional first_token_ms per model',
    (d) => {
      d.models['glm-5.1']!.timeouts = { first_token_ms: 2.5 };
    },
    'models.glm-5.1.timeouts.first_token_ms',
    'must be an integer',
  ],
  [
    'negative first_token_ms',
    (d) => {
      d.timeouts = { first_token_ms: -1 };
    },
    'timeouts.first_token_ms',
    'must be at least 1',
  ],
  [
    'zero rpm',
    (d) => {
      d.models['glm-5.1']!.rpm = 0;
    },
    'models.glm-5.1.rpm',
    'must be at least 1',
  ],
  [
    'fractional tpm',
    (d) => {
      d.models['glm-5.1']!.tpm = 1000.5;
    },
    'models.glm-5.1.tpm',
    'must be an integer',
  ],
  [
    'assistant_prefill that is not a boolean',
    (d) => {
      d.models['glm-5.1']!.assistant_prefill = 'no';
    },
    'models.glm-5.1.assistant_prefill',
    'must be true or false, not a string',
  ],
  [
    'retry budget ratio above 1',
    (d) => {
      d.retry_budget = { ratio: 1.5 };
    },
    'retry_budget.ratio',
    'must be at most 1',
  ],
  [
    'negative retry budget ratio',
    (d) => {
      d.retry_budget = { ratio: -0.1 };
    },
    'retry_budget.ratio',
    'must be at least 0',
  ],
  [
    'negative min_retries',
    (d) => {
      d.retry_budget = { min_retries: -1 };
    },
    'retry_budget.min_retries',
    'must be at least 0',
  ],
  [
    'zero retry budget window',
    (d) => {
      d.retry_budget = { window_ms: 0 };
    },
    'retry_budget.window_ms',
    'must be at least 1',
  ],
  [
    'typo in retry_budget',
    (d) => {
      d.retry_budget = { min_retries_per_window: 5 };
    },
    'retry_budget.min_retries_per_window',
    'unknown key (allowed: ratio, min_retries, window_ms)',
  ],
];

describe('parseConfig: each kind of error, with its path', () => {
  it.each(cases)('%s', (_, change, path, message) => {
    const doc = baseDoc();
    change(doc);
    expect(issuesOf(() => parseConfig(doc, { env: {} }))).toEqual([{ path, message }]);
  });

  it('reports the root when the document is not a mapping', () => {
    expect(issuesOf(() => parseConfig(''))).toEqual([
      { path: '', message: 'the config is empty; expected a mapping with providers, models and routes' },
    ]);
    expect(issuesOf(() => parseConfig('- a\n- b\n'))).toEqual([
      { path: '', message: 'the config must be a mapping, not a list' },
    ]);
    expect(issuesOf(() => parseConfig({}))).toEqual([
      { path: 'providers', message: 'is required' },
      { path: 'models', message: 'is required' },
    ]);
  });
});

describe('parseConfig: collecting problems', () => {
  it('reports every problem at once, across kinds', () => {
    const yaml = `
providers:
  deepseek: { base_url: "ftp://x", api_key: \${DEEPSEEK_API_KEY} }
  zhipu: { preset: zhipuu }
models:
  deepseek-chat: { provider: deepseek, price: { input: 1, output: 2 }, fallbacks: [glm-6] }
  glm-5.1: { provider: glm, context_window: 0 }
routes:
  quality: [deepseek-chat, glm-5.1, kimi-k2.7, deepseek-chat]
  empty: []
retry: { max_retry: 3 }
default_route: fast
`;
    const issues = issuesOf(() => parseConfig(yaml, { env: {} }));
    expect(issues.map((issue) => issue.path)).toEqual([
      'providers.deepseek.api_key',
      'providers.deepseek.base_url',
      'models.glm-5.1.context_window',
      'routes.empty',
      'retry.max_retry',
      'providers.zhipu.preset',
      'models.deepseek-chat.fallbacks[0]',
      'models.glm-5.1.provider',
      'routes.quality[2]',
      'routes.quality[3]',
      'default_route',
    ]);
  });

  it('does not report a value whose variable is unset a second time as invalid', () => {
    const doc = baseDoc();
    doc.providers.deepseek!.base_url = '${DEEPSEEK_URL}';
    doc.routes.quality = ['deepseek-chat', '${EXTRA_MODEL}'];
    doc.routes.balanced = { models: ['glm-5.1', { model: '${WEIGHTED_MODEL}', weight: '${WEIGHT}' }] };
    expect(issuesOf(() => parseConfig(doc, { env: {} }))).toEqual([
      { path: 'providers.deepseek.base_url', message: 'environment variable DEEPSEEK_URL is not set' },
      { path: 'routes.quality[1]', message: 'environment variable EXTRA_MODEL is not set' },
      {
        path: 'routes.balanced.models[1].model',
        message: 'environment variable WEIGHTED_MODEL is not set',
      },
      { path: 'routes.balanced.models[1].weight', message: 'environment variable WEIGHT is not set' },
    ]);
  });
});

describe('ConfigError', () => {
  const doc = baseDoc();
  doc.routes.quality = ['deepseek-chat', 'kimi-k2.7'];
  doc.models['glm-5.1']!.provider = 'foo';

  it('is a SwitchboardError with code invalid_config', () => {
    const error = configErrorOf(() => parseConfig(doc));
    expect(error).toBeInstanceOf(SwitchboardError);
    expect(error.code).toBe('invalid_config');
    expect(error.name).toBe('ConfigError');
    expect(error.source).toBeUndefined();
  });

  it('lists each issue on its own line, prefixed by the source when known', () => {
    const error = configErrorOf(() => parseConfig(doc, { source: '/etc/switchboard.yaml' }));
    expect(error.message.split('\n')).toEqual([
      'Invalid Switchboard config: 2 problems',
      '/etc/switchboard.yaml: models.glm-5.1.provider: unknown provider "foo" (configured providers: deepseek, zhipu)',
      `/etc/switchboard.yaml: routes.quality[1]: unknown model "kimi-k2.7" (${MODELS})`,
    ]);
    expect(error.source).toBe('/etc/switchboard.yaml');
    expect(configErrorOf(() => parseConfig(doc)).message.split('\n')[1]).toBe(
      'models.glm-5.1.provider: unknown provider "foo" (configured providers: deepseek, zhipu)',
    );
  });

  it('has frozen issues', () => {
    const error = new ConfigError([{ path: 'a', message: 'b' }]);
    expect(Object.isFrozen(error.issues)).toBe(true);
    expect(Object.isFrozen(error.issues[0])).toBe(true);
  });
});
