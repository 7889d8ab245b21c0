import { systemClock } from '../common/clock.js';
import { OUTAGE_CYCLE_MS, OUTAGE_SCRIPT, runOutageScript } from '../demo/outage-script.js';
import { runTraffic } from '../demo/traffic.js';
import { startGateway } from '../gateway.js';
import { startDemo } from './demo.js';
import { applyGatewayV8Flags } from './v8-flags.js';

export interface DemoOptions {
  port?: number;
  host?: string;
  /** The demo's ledger file (default ./switchboard-demo.db). */
  ledger: string;
  /** Requests per second (default 4). */
  rps: number;
  /** One round of the outage, then stop (default: loop until Ctrl-C). */
  once?: boolean;
}

/**
 * `switchboard demo`: the demo gateway of `serve` (four simulated providers), light traffic on every
 * route, and a staged outage on the providers, narrated here and visible on the dashboard.
 */
export async function runDemo(options: DemoOptions): Promise<void> {
  applyGatewayV8Flags();
  const demo = await startDemo();
  const config = {
    ...demo.config,
    // Short cooldowns, so breakers open and close again within the minute.
    circuit_breaker: { failure_threshold: 3, window_ms: 20_000, cooldown_ms: 5_000, max_cooldown_ms: 10_000 },
    ledger: { path: options.ledger },
    logging: { level: 'error' },
  };
  let gateway: Awaited<ReturnType<typeof startGateway>>;
  try {
    gateway = await startGateway(config, { port: options.port, host: options.host });
  } catch (error) {
    await demo.close();
    if ((error as { code?: string }).code === 'EADDRINUSE') {
      console.error(
        `The port is already in use. Choose another with --port (e.g. --port ${(options.port ?? 8787) + 1}).`,
      );
      process.exit(1);
    }
    throw error;
  }
  const { url } = gateway;
  const routes = Object.keys(gateway.switchboard.config.routes);
  console.log(
    [
      '',
      `Switchboard demo: a staged outage on four SIMULATED providers (no API keys, loopback only).`,
      '',
      `  Open the dashboard:  ${url}/dashboard`,
      `  Event stream:        curl -N '${url}/events?type=fallback,breaker.transition'`,
      `  Gateway:             ${url}/v1  (routes: ${routes.join(', ')})`,
      `  Ledger:              ${options.ledger}   (npx switchboard report --ledger ${options.ledger})`,
      '',
      `Traffic: ${options.rps} requests/s across the routes, JSON and streams. The outage runs ${Math.round(OUTAGE_CYCLE_MS / 1000)} s${options.once ? ', once' : ' and repeats'}; Ctrl-C stops.`,
      '',
    ].join('\n'),
  );
  const abort = new AbortController();
  const startedMs = Date.now();
  const stamp = () => {
    const s = Math.floor((Date.now() - startedMs) / 1000);
    return `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
  };
  const traffic = runTraffic({
    baseUrl: url,
    routes,
    perSecond: options.rps,
    clock: systemClock,
    signal: abort.signal,
  });
  let stopping = false;
  const stop = async (why: string) => {
    if (stopping) return;
    stopping = true;
    abort.abort();
    const counts = await traffic;
    await gateway.close(2_000);
    await demo.close();
    console.log(
      `\n${why}: ${counts.sent} demo requests sent, ${counts.answered} answered. The report: npx switchboard report --ledger ${options.ledger}`,
    );
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('Stopped'));
  process.once('SIGTERM', () => void stop('Stopped'));
  await runOutageScript({
    clock: systemClock,
    signal: abort.signal,
    loop: !options.once,
    steps: OUTAGE_SCRIPT,
    apply: (provider, fault) => demo.mocks.get(provider)?.setFault(fault),
    say: (step, cycle) => console.log(`[${stamp()}]${cycle > 1 ? ` (round ${cycle})` : ''} ${step.say}`),
  });
  if (!stopping) await stop('Done');
}
