import { describe, expect, it } from 'vitest';
import { ConfigError } from '../config/index.js';
import { assertLoopback, loadDrillConfig, NotLoopbackError, pointAtSimulators } from './drill-config.js';

const RAW = {
  providers: {
    real: { base_url: 'https://10.255.255.1/v1', api_key: '${REAL_KEY}', headers: { 'x-api-key': 'secret' } },
    other: { preset: 'deepseek', api_key: '${OTHER_KEY}' },
  },
  models: {
    m1: { provider: 'real', model: 'upstream-1', price: { input: 1, output: 2 }, context_window: 1000 },
    m2: { provider: 'other', fallbacks: ['m1'] },
  },
  routes: { main: ['m1', 'm2'], solo: ['m2'] },
  default_route: 'main',
  ledger: { path: './x.db' },
  state: { store: 'redis', url: 'redis://10.0.0.1:6379' },
};

describe('the drill config', () => {
  it('loads with unset keys, and is refused when broken', () => {
    expect(() => loadDrillConfig(RAW, {})).not.toThrow();
    expect(() => loadConfig({ ...RAW, routes: { main: ['missing'] } })).toThrow(ConfigError);
  });

  it('points every provider at its simulator, without keys, headers, ledger or shared state, and keeps the rest', () => {
    const config = loadDrillConfig(RAW, { REAL_KEY: 'sk-real', OTHER_KEY: 'sk-other' });
    const drilled = pointAtSimulators(
      config,
      new Map([
        ['real', 'http://127.0.0.1:4001/v1'],
        ['other', 'http://127.0.0.1:4002/v1'],
      ]),
    );
    expect(drilled.providers.real).toEqual({
      ...config.providers.real,
      baseUrl: 'http://127.0.0.1:4001/v1',
      apiKey: undefined,
      headers: {},
    });
    expect(JSON.stringify(drilled)).not.toContain('sk-');
    expect(JSON.stringify(drilled)).not.toContain('secret');
    expect(drilled.ledger).toBe('off');
    expect(drilled.state).toEqual({ store: 'memory' });
    expect(drilled.models).toEqual(config.models);
    expect(drilled.routes).toEqual(config.routes);
    expect(drilled.timeouts).toEqual(config.timeouts);
    expect(Object.isFrozen(drilled)).toBe(true);
  });

  it('leaves out a provider it cannot simulate, with its models and the routes that use them', () => {
    const config = loadDrillConfig(RAW, {});
    const drilled = pointAtSimulators(config, new Map([['other', 'http://127.0.0.1:4002/v1']]));
    expect(Object.keys(drilled.providers)).toEqual(['other']);
    expect(Object.keys(drilled.routes)).toEqual(['solo']);
    expect(drilled.models.m2?.fallbacks).toEqual([]);
    expect(drilled.defaultRoute).toBeUndefined();
  });

  it.each(['https://10.255.255.1/v1', 'http://localhost:4000/v1', 'http://127.0.0.2/v1', 'not a url'])(
    'refuses a provider at %s',
    (baseUrl) => {
      const config = loadDrillConfig(RAW, {});
      const real = { ...config.providers.real, baseUrl } as NonNullable<typeof config.providers.real>;
      expect(() => assertLoopback({ ...config, providers: { real } })).toThrow(NotLoopbackError);
    },
  );
});

function loadConfig(raw: object) {
  return loadDrillConfig(raw, {});
}
