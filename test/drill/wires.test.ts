import { describe, expect, it } from 'vitest';
import { runDrill } from '../../src/drill/index.js';

/** `native` speaks the Anthropic wire: drilled when this build can simulate it, else a finding. */
const MIXED = {
  providers: {
    compat: { base_url: 'https://compat.invalid/v1' },
    native: { type: 'anthropic', base_url: 'https://native.invalid', api_key: '${DRILL_TEST_UNSET_KEY}' },
  },
  models: {
    'compat-chat': { provider: 'compat' },
    'native-chat': { provider: 'native', max_output_tokens: 1024 },
  },
  routes: { plain: ['compat-chat'], mixed: ['native-chat', 'compat-chat'] },
  circuit_breaker: { failure_threshold: 2, window_ms: 10_000, cooldown_ms: 5_000 },
  timeouts: { attempt_ms: 4_000, first_byte_ms: 3_000, total_ms: 12_000 },
};

describe('drill: provider wires', () => {
  it('drives every provider through a simulator of its own wire, or says clearly which it cannot', async () => {
    const report = await runDrill({
      config: MIXED,
      env: {},
      scenarios: 'baseline',
      requests: 4,
      maxSeconds: 8,
    });
    const notSimulated = report.findings.filter((f) => f.kind === 'not-simulated');
    if (report.routes.includes('mixed')) {
      expect(notSimulated).toEqual([]);
      expect(report.results[0]?.simulators.answered).toMatchObject({ 'native-chat': 4 });
    } else {
      expect(report.routes).toEqual(['plain']);
      expect(notSimulated.map((f) => f.text)).toEqual([
        expect.stringMatching(
          /^`native` cannot be drilled in this build \(.+\): route `mixed` was not drilled$/,
        ),
      ]);
    }
    expect(report.results[0]?.routes.find((r) => r.route === 'plain')?.availabilityPct).toBe(100);
  });
});
