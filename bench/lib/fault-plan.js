/**
 * Which fault scenarios run and with which gateway config (a hedged row needs its own), and which
 * are n/a and why — decided before any load, so a scenario's gateway can boot ahead of its turn.
 */
import { spawnSync } from 'node:child_process';
import { gatewayConfig, writeConfig } from './gateway-config.js';
import { BIN } from './gateway-process.js';

/**
 * Whether the gateway's config accepts `hedge` on a route (`switchboard check`).
 * @param {string} configPath a config with a hedged route
 */
function hedgeSupport(configPath) {
  const r = spawnSync(process.execPath, [BIN, 'check', '--config', configPath], {
    encoding: 'utf8',
    timeout: 20_000,
  });
  if (r.status === 0) return { supported: true, message: '' };
  const message = `${r.stderr ?? ''}${r.stdout ?? ''}`
    .split('\n')
    .find((l) => /hedge/i.test(l))
    ?.trim();
  return { supported: false, message: message ?? `switchboard check exited ${r.status}` };
}

/**
 * @param {import('./options.js').Options} options
 * @param {Record<string, string>} urls
 * @param {string} configPath the run's gateway config
 * @param {string} tmp where a hedged config is written
 */
export function planFaults(options, urls, configPath, tmp) {
  /** @type {Map<string, string>} scenario id → why it is n/a */
  const skipped = new Map();
  /** @type {Map<string, string>} scenario id → the config it runs with */
  const configs = new Map();
  /** @type {{ supported: boolean, message: string } | undefined} */
  let hedge;
  for (const scenario of options.scenarios) {
    const enabled = (scenario.enabled ?? true) || options.hedge;
    if (!scenario.hedge) {
      if (enabled) configs.set(scenario.id, configPath);
      else skipped.set(scenario.id, scenario.disabledNote ?? 'disabled');
      continue;
    }
    const path = writeConfig(
      tmp,
      'bench-hedge.yaml',
      gatewayConfig({ urls, hedge: scenario.hedge, retryBudget: scenario.retryBudget }),
    );
    hedge ??= hedgeSupport(path);
    if (hedge.supported && enabled) configs.set(scenario.id, path);
    else if (!hedge.supported) {
      skipped.set(
        scenario.id,
        `${scenario.disabledNote ?? 'not supported'}; \`switchboard check\` on a hedged route says: ${hedge.message}`,
      );
    } else {
      skipped.set(
        scenario.id,
        'the gateway accepts routes.<name>.hedge: switch this row on (enabled: true in bench/lib/scenarios.js, or --hedge)',
      );
    }
  }
  return { skipped, configs, runnable: options.scenarios.filter((s) => configs.has(s.id)) };
}

/** @typedef {ReturnType<typeof planFaults>} FaultPlan */
