import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { afterEach, describe, expect, it } from 'vitest';
import { runDrill } from '../../src/drill/index.js';

/** Providers at addresses that must never be reached, keys that are not set. */
const UNREACHABLE = {
  providers: {
    primary: { base_url: 'https://10.255.255.1/v1', api_key: '${DRILL_TEST_UNSET_PRIMARY_KEY}' },
    backup: { base_url: 'https://api.example.com/v1', api_key: '${DRILL_TEST_UNSET_BACKUP_KEY}' },
  },
  models: {
    'primary-chat': { provider: 'primary', model: 'upstream-primary', price: { input: 1, output: 2 } },
    'backup-chat': { provider: 'backup', price: { input: 1, output: 2 } },
  },
  routes: { main: ['primary-chat', 'backup-chat'] },
  retry: { max_retries: 1, base_delay_ms: 100, max_delay_ms: 1000 },
  circuit_breaker: { failure_threshold: 2, window_ms: 10_000, cooldown_ms: 5_000 },
  timeouts: { attempt_ms: 5_000, first_byte_ms: 3_000, total_ms: 15_000 },
};

describe('drill: nothing beyond 127.0.0.1', () => {
  const connects: Array<{ hostname: string; port: string | number }> = [];
  const onConnect = (message: unknown) => {
    const { connectParams } = message as { connectParams: { hostname: string; port: string | number } };
    connects.push({ hostname: connectParams.hostname, port: connectParams.port });
  };
  subscribe('undici:client:beforeConnect', onConnect);
  afterEach(() => {
    unsubscribe('undici:client:beforeConnect', onConnect);
  });

  it('drills a config whose providers point at unreachable addresses with unset keys: every connection goes to a simulator', async () => {
    const report = await runDrill({
      config: UNREACHABLE,
      env: {},
      scenarios: 'down',
      requests: 6,
      maxSeconds: 8,
    });
    expect(report.results.map((r) => r.scenario.id)).toEqual(['baseline', 'down:primary', 'down:backup']);
    expect(connects.length).toBeGreaterThan(0);
    expect(connects.filter((c) => c.hostname !== '127.0.0.1')).toEqual([]);
    const baseline = report.results[0];
    // The simulators got all the traffic: every attempt the metadata shows reached one.
    expect(baseline?.simulators.requests).toEqual(baseline?.metadata.requests);
    expect(baseline?.routes[0]?.availabilityPct).toBe(100);
    expect(baseline?.simulators.answered).toEqual({ 'primary-chat': 6 });
    for (const result of report.results) expect(result.disagreements).toEqual([]);
  });
});
