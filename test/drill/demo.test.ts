import { describe, expect, it } from 'vitest';
import { demoConfig } from '../../src/cli/demo.js';
import { DRILL_DEFAULTS, runDrill } from '../../src/drill/index.js';

describe('drill of the demo config', () => {
  it('runs every scenario of the demo within the default --max-seconds', async () => {
    const startedMs = Date.now();
    const report = await runDrill({ config: demoConfig(() => 'https://10.255.255.1/v1') });
    const wallSeconds = (Date.now() - startedMs) / 1000;
    expect(wallSeconds).toBeLessThan(DRILL_DEFAULTS.maxSeconds);
    // 1 baseline + 4 providers × (down, hang, rate-limit) + 3 primaries × (stream-cut, flap) + 6 pairs.
    expect(report.results).toHaveLength(25);
    expect(report.routes).toEqual(['quality', 'balanced', 'speed', 'cheapest']);
    for (const result of report.results) {
      expect({ id: result.scenario.id, stopped: result.stopped }).toEqual({
        id: result.scenario.id,
        stopped: 0,
      });
      expect(result.disagreements).toEqual([]);
      for (const route of result.routes) expect(route.requests).toBe(DRILL_DEFAULTS.requests);
    }
  }, 90_000);
});
