import { describe, expect, it } from 'vitest';
import { ConfigError } from './errors.js';
import { parseConfig } from './parse.js';

const doc = (extra: Record<string, unknown> = {}, model: Record<string, unknown> = {}) => ({
  providers: { local: { preset: 'ollama' } },
  models: { a: { provider: 'local', ...model }, b: { provider: 'local' } },
  routes: { main: ['a', 'b'] },
  ...extra,
});

const issues = (d: object) => {
  try {
    parseConfig(d, { env: {} });
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.issues.map((i) => `${i.path}: ${i.message}`);
    throw error;
  }
};

describe('config: recovery sections', () => {
  it('leaves the sections out when the file has none (the defaults apply at run time)', () => {
    const config = parseConfig(doc(), { env: {} });
    expect(config.models.a).not.toHaveProperty('healthProbe');
    expect(config.models.a).not.toHaveProperty('adaptiveTimeouts');
    expect(config.routes.main).not.toHaveProperty('waitForPreferredMs');
  });

  it('merges a model’s health_probe and adaptive_timeouts over the global ones', () => {
    const config = parseConfig(
      doc(
        {
          health_probe: { interval_ms: 5_000 },
          adaptive_timeouts: { multiple: 3, json: true },
          routes: { main: { models: ['a', 'b'], wait_for_preferred_ms: 2_500 } },
        },
        { health_probe: { enabled: false }, adaptive_timeouts: { floor_ms: 500 } },
      ),
      { env: {} },
    );
    expect(config.models.a?.healthProbe).toEqual({ enabled: false, intervalMs: 5_000 });
    expect(config.models.b?.healthProbe).toEqual({ enabled: true, intervalMs: 5_000 });
    expect(config.models.a?.adaptiveTimeouts).toEqual({
      enabled: true,
      multiple: 3,
      floorMs: 500,
      minSamples: 50,
      json: true,
      perThousandPromptTokensMs: 250,
    });
    expect(config.routes.main?.waitForPreferredMs).toBe(2_500);
  });

  it('an unset max_cooldown_ms follows a longer cooldown; a set one is kept', () => {
    const long = parseConfig(doc({ circuit_breaker: { cooldown_ms: 60_000 } }), { env: {} });
    expect(long.models.a?.circuitBreaker).toMatchObject({ cooldownMs: 60_000, maxCooldownMs: 60_000 });
    const set = parseConfig(doc({ circuit_breaker: { max_cooldown_ms: 120_000 } }), { env: {} });
    expect(set.models.a?.circuitBreaker).toMatchObject({ cooldownMs: 30_000, maxCooldownMs: 120_000 });
    expect(parseConfig(doc(), { env: {} }).models.a?.circuitBreaker.maxCooldownMs).toBe(30_000);
  });

  it.each<[string, object, string]>([
    ['an interval under a second', doc({ health_probe: { interval_ms: 500 } }), 'health_probe.interval_ms'],
    ['a misspelt probe key', doc({}, { health_probe: { interval: 5 } }), 'models.a.health_probe'],
    ['a multiple below 1', doc({ adaptive_timeouts: { multiple: 0.5 } }), 'adaptive_timeouts.multiple'],
    [
      'more samples than are kept',
      doc({ adaptive_timeouts: { min_samples: 500 } }),
      'adaptive_timeouts.min_samples',
    ],
    [
      'a negative wait',
      doc({ routes: { main: { models: ['a', 'b'], wait_for_preferred_ms: -1 } } }),
      'routes.main.wait_for_preferred_ms',
    ],
  ])('rejects %s, naming the key', (_name, d, path) => {
    expect(issues(d).some((i) => i.startsWith(path))).toBe(true);
  });
});
