import { describe, expect, it } from 'vitest';
import { DEFAULTS } from '../../config/defaults.js';
import { adaptiveDeadlineMs } from './adaptive-deadline.js';

const policy = { ...DEFAULTS.adaptiveTimeouts, enabled: true, multiple: 4, floorMs: 2_000, minSamples: 50 };

describe('adaptiveDeadlineMs', () => {
  it.each([
    ['a 400 ms p99: 4 × p99 = 1.6 s, raised to the 2 s floor', 400, 50, 2_000],
    ['a 1.5 s p99: 6 s', 1_500, 50, 6_000],
    ['a 10 s p99: 40 s, capped at the configured 30 s', 10_000, 200, 30_000],
    ['too few samples: the configured limit', 400, 49, 30_000],
    ['no p99 yet', undefined, 50, 30_000],
    ['a p99 of 0: the floor', 0, 50, 2_000],
    ['a NaN p99: the configured limit', Number.NaN, 50, 30_000],
    ['a negative p99: the configured limit', -5, 50, 30_000],
    ['a fractional p99 rounds up', 1_000.1, 50, 4_001],
  ])('%s', (_name, p99Ms, samples, expected) => {
    expect(adaptiveDeadlineMs({ configuredMs: 30_000, p99Ms, samples, policy })).toBe(expected);
  });

  it.each([
    ['400 prompt tokens: + 100 ms', 400, 2_100],
    ['10k prompt tokens: + 2.5 s for the prefill', 10_000, 4_500],
    ['150k prompt tokens: the configured ceiling', 150_000, 30_000],
    ['no prompt size', undefined, 2_000],
    ['a NaN prompt size counts as none', Number.NaN, 2_000],
  ])('%s', (_name, promptTokens, expected) => {
    const p = { ...policy, perThousandPromptTokensMs: 250 };
    expect(
      adaptiveDeadlineMs({ configuredMs: 30_000, p99Ms: 400, samples: 50, promptTokens, policy: p }),
    ).toBe(expected);
  });

  it('off: always the configured limit', () => {
    expect(
      adaptiveDeadlineMs({
        configuredMs: 30_000,
        p99Ms: 100,
        samples: 1_000,
        policy: { ...policy, enabled: false },
      }),
    ).toBe(30_000);
  });

  it('a floor above the configured limit never lengthens it', () => {
    expect(
      adaptiveDeadlineMs({
        configuredMs: 1_000,
        p99Ms: 100,
        samples: 100,
        policy: { ...policy, floorMs: 5_000 },
      }),
    ).toBe(1_000);
  });
});
