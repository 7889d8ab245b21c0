import { describe, expect, it } from 'vitest';
import { baseDoc } from '../../test/support/config-docs.js';
import { lintConfig, parseConfig } from './index.js';

const SAME = 'an outage of that provider takes both';

describe('lintConfig', () => {
  it('has nothing to say about a well-spread config', () => {
    expect(lintConfig(parseConfig(baseDoc()))).toEqual([]);
  });

  it.each([
    [
      'consecutive models on one provider in a route',
      { routes: { quality: ['deepseek-chat', 'deepseek-reasoner', 'glm-5.1'] } },
      [
        {
          path: 'routes.quality[1]',
          message: `falls back from deepseek-chat to deepseek-reasoner on the same provider "deepseek"; ${SAME}`,
        },
      ],
    ],
    [
      'the same in a long-form route',
      { routes: { careful: { models: ['glm-5.1', 'deepseek-chat', 'deepseek-reasoner'] } } },
      [
        {
          path: 'routes.careful.models[2]',
          message: `falls back from deepseek-chat to deepseek-reasoner on the same provider "deepseek"; ${SAME}`,
        },
      ],
    ],
    [
      'a model falling back on its own provider',
      {
        fallbacks: {
          'deepseek-chat': ['deepseek-reasoner'],
          'glm-5.1': ['deepseek-chat', 'deepseek-reasoner'],
        },
      },
      [
        {
          path: 'models.deepseek-chat.fallbacks[0]',
          message: `falls back from deepseek-chat to deepseek-reasoner on the same provider "deepseek"; ${SAME}`,
        },
        {
          path: 'models.glm-5.1.fallbacks[1]',
          message: `falls back from deepseek-chat to deepseek-reasoner on the same provider "deepseek"; ${SAME}`,
        },
      ],
    ],
    [
      'a route with one model',
      { routes: { quality: ['deepseek-chat', 'glm-5.1'], solo: ['glm-5.1'] } },
      [
        {
          path: 'routes.solo',
          message: 'has a single model ("glm-5.1"), so there is nothing to fall back to',
        },
      ],
    ],
    [
      'consecutive models on one provider, written as weighted entries',
      {
        routes: {
          balanced: {
            models: ['glm-5.1', { model: 'deepseek-chat', weight: 2 }, { model: 'deepseek-reasoner' }],
            strategy: 'weighted',
          },
        },
      },
      [
        {
          path: 'routes.balanced.models[2]',
          message: `falls back from deepseek-chat to deepseek-reasoner on the same provider "deepseek"; ${SAME}`,
        },
      ],
    ],
    [
      'a hedge on a route with one model',
      {
        routes: {
          quality: ['deepseek-chat', 'glm-5.1'],
          solo: { models: ['glm-5.1'], hedge: { after_ms: 500 } },
        },
      },
      [
        {
          path: 'routes.solo',
          message: 'has a single model ("glm-5.1"), so there is nothing to fall back to',
        },
        {
          path: 'routes.solo.hedge',
          message: 'the route has a single model ("glm-5.1"), so there is nothing to hedge with',
        },
      ],
    ],
    [
      'a weighted route without weights',
      { routes: { balanced: { models: ['glm-5.1', 'deepseek-chat'], strategy: 'weighted' } } },
      [
        {
          path: 'routes.balanced.strategy',
          message:
            'is weighted, but every model has the same weight, so it spreads evenly; give weights to steer',
        },
      ],
    ],
    [
      'a weighted route with equal weights',
      {
        routes: {
          balanced: {
            models: [
              { model: 'glm-5.1', weight: 2 },
              { model: 'deepseek-chat', weight: 2 },
            ],
            strategy: 'weighted',
          },
        },
      },
      [
        {
          path: 'routes.balanced.strategy',
          message:
            'is weighted, but every model has the same weight, so it spreads evenly; give weights to steer',
        },
      ],
    ],
    [
      'a model without a price',
      { unpriced: 'glm-5.1' },
      [{ path: 'models.glm-5.1', message: 'has no price; its cost will read 0' }],
    ],
    [
      'a preset that needs a key but has none',
      { keyless: 'zhipu' },
      [
        {
          path: 'providers.zhipu',
          message: 'preset "zhipu" needs an API key, but api_key is not set; requests will be rejected',
        },
      ],
    ],
  ])('warns about %s', (_, change, expected) => {
    const doc = baseDoc();
    doc.models['deepseek-reasoner'] = { provider: 'deepseek', price: { input: 0.55, output: 2.19 } };
    if ('routes' in change) doc.routes = change.routes;
    if ('fallbacks' in change) {
      for (const [id, fallbacks] of Object.entries(change.fallbacks)) doc.models[id]!.fallbacks = fallbacks;
    }
    if ('unpriced' in change) delete doc.models[change.unpriced]!.price;
    if ('keyless' in change) delete doc.providers[change.keyless]!.api_key;
    expect(lintConfig(parseConfig(doc))).toEqual(expected);
  });

  it('does not warn about fastest routes, percentile hedges or weights that differ', () => {
    const doc = baseDoc();
    doc.routes = {
      speed: {
        models: ['glm-4-flash', 'deepseek-chat', 'glm-5.1'],
        strategy: 'fastest',
        hedge: { after: 'p95' },
      },
      balanced: {
        models: [{ model: 'glm-5.1', weight: 3 }, 'deepseek-chat'],
        strategy: 'weighted',
        stream_recovery: 'error',
      },
      cheap: { models: ['glm-4-flash', 'deepseek-chat'], strategy: 'cheapest', hedge: { after_ms: 1000 } },
    };
    expect(lintConfig(parseConfig(doc))).toEqual([]);
  });

  it('does not warn about keyless local presets or a missing context window', () => {
    const config = parseConfig(
      'providers:\n  local: { preset: ollama }\nmodels:\n  m: { provider: local, price: { input: 0, output: 0 } }\n',
    );
    expect(lintConfig(config)).toEqual([]);
  });

  it('works on a config that was not loaded from a file', () => {
    const loaded = parseConfig(baseDoc());
    const handBuilt = {
      ...loaded,
      routes: {
        solo: {
          id: 'solo',
          models: ['glm-5.1', 'glm-4-flash', 'unknown'],
          weights: [1, 1, 1],
          strategy: 'ordered' as const,
          streamRecovery: 'continue' as const,
          fallbackOnContentPolicy: false,
        },
      },
    };
    expect(lintConfig(handBuilt)).toEqual([
      {
        path: 'routes.solo[1]',
        message: `falls back from glm-5.1 to glm-4-flash on the same provider "zhipu"; ${SAME}`,
      },
    ]);
  });
});
