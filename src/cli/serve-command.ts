import { ConfigError, DEFAULTS, lintConfig } from '../config/index.js';
import type { SwitchboardConfig } from '../config/types.js';
import { type Gateway, startGateway } from '../gateway.js';
import type { Demo } from './demo.js';
import { applyGatewayV8Flags } from './v8-flags.js';
import { isServeWorker, runPrimary, WORKER_INDEX_ENV } from './workers.js';

export interface ServeOptions {
  config?: string;
  port?: number;
  host?: string;
  /** Worker processes behind the one port (default 1: this process serves). */
  workers?: number;
}

export async function runServe(options: ServeOptions): Promise<void> {
  const worker = isServeWorker();
  if (!worker && (options.workers ?? 1) > 1) return runPrimary(options.workers ?? 1, options.config);
  applyGatewayV8Flags();
  let demo: Demo | undefined;
  let gateway: Gateway;
  try {
    // The demo's simulated providers load only for the demo.
    if (!options.config) demo = await (await import('./demo.js')).startDemo();
    gateway = await startGateway(options.config ?? (demo as Demo).config, {
      port: options.port,
      host: options.host,
      // Without a `ledger` key, the gateway keeps its ledger here (`ledger: off` turns it off).
      defaultLedgerPath: DEFAULTS.ledger.path,
      clusterWorker: worker,
    });
  } catch (error) {
    await demo?.close();
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    const e = error as { code?: string; message?: string };
    if (e.code === 'EADDRINUSE') {
      console.error(
        `The port is already in use. Choose another with --port (e.g. --port ${(options.port ?? 8787) + 1}).`,
      );
      process.exit(1);
    }
    throw error;
  }

  const config = gateway.switchboard.config;
  // Workers of `--workers N` print the warnings and banner once, from the first.
  const quiet = worker && process.env[WORKER_INDEX_ENV] !== '0';
  if (!quiet)
    for (const warning of lintConfig(config)) console.error(`warning: ${warning.path}: ${warning.message}`);
  if (!quiet) console.log(banner(gateway.url, config, demo, gateway.switchboard.ledger === undefined));

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.error(`\n${signal}: no longer accepting requests; letting in-flight requests finish…`);
    await gateway.close();
    await demo?.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
  // A worker whose primary is gone stops too, rather than serving on as an orphan.
  if (worker) process.once('disconnect', () => void stop('primary gone'));
}

function ledgerLine(url: string, config: SwitchboardConfig, off: boolean): string {
  if (off) return 'Ledger: off';
  const path = typeof config.ledger === 'object' ? config.ledger.path : DEFAULTS.ledger.path;
  const command =
    path === DEFAULTS.ledger.path ? 'npx switchboard report' : `npx switchboard report --ledger ${path}`;
  return `Ledger: ${path}   Report: ${command}   or ${url}/report`;
}

function banner(url: string, config: SwitchboardConfig, demo: Demo | undefined, ledgerOff: boolean): string {
  const lines = [
    '',
    `Switchboard gateway listening on ${url}${demo ? '  (DEMO: simulated providers, no API keys needed)' : ''}`,
    `  OpenAI base URL: ${url}/v1`,
    '',
    'Routes (model name → fallback chain):',
  ];
  for (const route of Object.values(config.routes)) {
    const notes = [
      route.id === config.defaultRoute ? 'default' : '',
      route.strategy !== 'ordered' ? route.strategy : '',
      route.hedge ? 'hedged' : '',
    ].filter(Boolean);
    const suffix = notes.length > 0 ? `  (${notes.join(', ')})` : '';
    lines.push(`  ${route.id.padEnd(10)} ${route.models.join(' → ')}${suffix}`);
  }
  const auth = config.server.apiKeys.length > 0 ? ` -H 'authorization: Bearer $SWITCHBOARD_API_KEY'` : '';
  const route = config.defaultRoute ?? Object.keys(config.routes)[0] ?? Object.keys(config.models)[0];
  lines.push(
    '',
    'Try it:',
    `  curl -s ${url}/v1/chat/completions -H 'content-type: application/json'${auth} \\`,
    `    -d '{"model":"${route}","messages":[{"role":"user","content":"Hello"}]}'`,
    '',
    `Dashboard: ${url}/dashboard   Status: ${url}/status   Metrics: ${url}/metrics`,
    ledgerLine(url, config, ledgerOff),
  );
  if (demo) {
    const [first] = demo.mocks.entries();
    if (first) {
      lines.push(
        '',
        `Break the primary and watch the fallback (simulated ${first[0]} at ${first[1].url}):`,
        `  curl -s -X POST ${first[1].url}/__fault -d '{"fault":"503"}'`,
        `  curl -s -X POST ${first[1].url}/__fault -d '{"fault":"ok"}'      # heal it`,
        '',
        'Or watch a whole staged outage (traffic, breakers opening and closing) on the dashboard:',
        '  npx switchboard demo',
      );
    }
  }
  lines.push('', 'Ctrl-C stops the gateway.', '');
  return lines.join('\n');
}
