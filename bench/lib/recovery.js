/**
 * Outage and heal (issue 13): the chain's primary answers 503 for `outageMs`, then is healthy again,
 * under light sequential traffic (one request every `intervalMs`). It reports how long after the heal
 * the primary served a user request again (the recovery delay), and how many health probes the
 * gateway sent it meanwhile: the figures that say whether traffic comes back, and what that costs.
 */

import { CHAIN_ROUTE, chatBody } from './gateway-config.js';
import { bootGateway } from './gateway-process.js';
import { getText, postJson, sleep } from './http.js';
import { parsePrometheus, sumOf } from './metrics.js';
import { stop } from './processes.js';
import { resetProviders, setFaults } from './simulated-providers.js';

/** Outage lengths per profile: the 60 s for a full run, shorter for the quick ones. */
export const OUTAGE_MS = { full: 60_000, quick: 20_000, tiny: 5_000 };
/** One request every this many ms, one at a time. */
export const INTERVAL_MS = 250;
/** The target: traffic back within this long of the heal. */
export const RECOVERY_TARGET_MS = 30_000;
/** How long to wait for traffic to return before giving up (the row then says so). */
const MAX_WAIT_MS = 90_000;

/**
 * @param {{ mode: 'full' | 'quick' | 'tiny' }} options
 * @param {import('./measure.js').Setup} setup
 * @param {Record<string, string>} urls
 * @param {string} configPath the bench gateway's config (the chain route, the bench's breaker)
 */
export async function runRecovery(options, setup, urls, configPath) {
  const outageMs = OUTAGE_MS[options.mode];
  const gateway = await bootGateway(setup, configPath);
  try {
    await setFaults(urls, 'ok');
    await resetProviders(urls);
    const ask = async () => {
      const response = await fetch(`${gateway.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: chatBody(CHAIN_ROUTE),
      });
      await response.arrayBuffer();
      return { ok: response.ok, model: response.headers.get('x-switchboard-model') };
    };
    for (let i = 0; i < 8; i++) await ask(); // healthy: the primary answers
    await setFaults(urls, `down-for:${outageMs}`);
    const healedAt = Date.now() + outageMs;
    let requests = 0;
    let errors = 0;
    let duringOutageOnPrimary = 0;
    /** @type {number | null} */
    let recoveryDelayMs = null;
    while (Date.now() < healedAt + MAX_WAIT_MS) {
      const sentAt = Date.now();
      const answer = await ask();
      requests++;
      if (!answer.ok) errors++;
      if (answer.model === 'primary') {
        if (sentAt >= healedAt) {
          recoveryDelayMs = Math.max(0, sentAt - healedAt);
          break;
        }
        duringOutageOnPrimary++;
      }
      await sleep(Math.max(0, INTERVAL_MS - (Date.now() - sentAt)));
    }
    const samples = parsePrometheus(await getText(`${gateway.url}/metrics`));
    const probes = sumOf(samples, 'switchboard_health_probes_total', (labels) => labels.model === 'primary');
    const checks = [
      {
        scope: 'recovery',
        id: 'recovery-delay',
        target: `traffic back on the healed primary within ${RECOVERY_TARGET_MS / 1000} s`,
        measured:
          recoveryDelayMs === null
            ? `not back within ${MAX_WAIT_MS / 1000} s`
            : `${(recoveryDelayMs / 1000).toFixed(1)} s after the heal`,
        pass: recoveryDelayMs !== null && recoveryDelayMs <= RECOVERY_TARGET_MS,
      },
      {
        scope: 'recovery',
        id: 'recovery-errors',
        target: 'zero client-visible errors through the outage',
        measured: String(errors),
        pass: errors === 0,
      },
    ];
    return {
      outageMs,
      intervalMs: INTERVAL_MS,
      requests,
      errors,
      recoveryDelayMs,
      probes,
      duringOutageOnPrimary,
      checks,
    };
  } finally {
    await stop(gateway.child, 1000);
    await postJson(`${urls.primary}/__fault`, { fault: 'ok' }).catch(() => {});
  }
}

/**
 * The recovery row, as text lines.
 * @param {any} recovery
 */
export function recoveryLines(recovery) {
  const back =
    recovery.recoveryDelayMs === null ? 'not back' : `${(recovery.recoveryDelayMs / 1000).toFixed(1)} s`;
  return [
    `primary 503 for ${recovery.outageMs / 1000} s, then healthy; one request every ${recovery.intervalMs} ms`,
    `  traffic back on the primary: ${back} after the heal (target ≤ ${RECOVERY_TARGET_MS / 1000} s)`,
    `  health probes sent to the primary: ${recovery.probes}; user requests it served during the outage: ${recovery.duringOutageOnPrimary}`,
    `  requests: ${recovery.requests}, client-visible errors: ${recovery.errors}`,
  ];
}
