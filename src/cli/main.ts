import { Command, InvalidArgumentError, Option } from 'commander';
import { parseWorkers } from './workers.js';

/**
 * A subcommand's module loads when it runs: `serve` does not carry the code of the mock, the drill
 * or the report (each loaded module's source and code stay in the heap for the process's life).
 */
const lazy =
  <A extends unknown[]>(load: () => Promise<(...args: A) => unknown>) =>
  async (...args: A): Promise<void> => {
    await (await load())(...args);
  };
const runServe = lazy(async () => (await import('./serve-command.js')).runServe);
const runDemo = lazy(async () => (await import('./demo-command.js')).runDemo);
const runCheck = lazy(async () => (await import('./check-command.js')).runCheck);
const runMock = lazy(async () => (await import('./mock-command.js')).runMock);
const runReport = lazy(async () => (await import('./report-command.js')).runReport);
const runDrillCommand = lazy(async () => (await import('./drill-command.js')).runDrillCommand);

const port = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65_535)
    throw new InvalidArgumentError('a port is a whole number from 0 to 65535');
  return n;
};
const nonNegative = (value: string) => {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError('expected a number ≥ 0');
  return n;
};

const program = new Command('switchboard')
  .description('An LLM gateway that keeps apps answering when providers fail.')
  .showHelpAfterError();

program
  .command('serve')
  .description('Run the OpenAI-compatible gateway. Without --config: the demo, on four simulated providers.')
  .option('-c, --config <file>', 'YAML config file')
  .option('-p, --port <port>', 'port to listen on (default: server.port, 8787)', port)
  .option('-H, --host <host>', 'address to bind (default: server.host, 127.0.0.1)')
  .option(
    '-w, --workers <n>',
    'worker processes behind the one port, sharing breakers and cooldowns (auto = one per core)',
    parseWorkers,
    1,
  )
  .action(runServe);

program
  .command('demo')
  .description(
    'Stage an outage on the demo gateway: traffic on every route while a simulated provider is rate-limited, goes down and heals. Watch it at /dashboard.',
  )
  .option('-p, --port <port>', 'port to listen on (default 8787)', port)
  .option('-H, --host <host>', 'address to bind (default 127.0.0.1)')
  .option('-l, --ledger <file>', 'ledger file the demo writes its report to', './switchboard-demo.db')
  .option('--rps <n>', 'demo requests per second', nonNegative, 4)
  .option('--once', 'play the outage once, then stop (default: repeat until Ctrl-C)')
  .action(runDemo);

program
  .command('check')
  .description('Validate a config file without starting anything; exits 1 listing every problem.')
  .requiredOption('-c, --config <file>', 'YAML config file')
  .action(runCheck);

program
  .command('mock')
  .description('Run a simulated provider (OpenAI-compatible, Anthropic or Gemini) with fault injection.')
  .option('-p, --port <port>', 'port to listen on', port, 9001)
  .option('-H, --host <host>', 'address to bind', '127.0.0.1')
  .option('--latency-ms <ms>', 'delay before answering', nonNegative, 0)
  .option('--tokens-per-sec <n>', 'streaming pace (0 = as fast as possible)', nonNegative, 0)
  .option(
    '--fault <mode>',
    'fault mode: ok, 500, 503, 429[:s], timeout, reset, flaky:P, slow-first-token:MS, stream-cut:N, stall:N:MS, malformed:N, overloaded-mid-stream:N, no-done, context-length, content-filter, safety-block, down-for:MS',
    'ok',
  )
  .option('--seed <n>', 'seed for random faults', nonNegative, 1)
  .option('--name <name>', 'label in replies and stats', 'mock')
  .addOption(
    new Option('--protocol <wire>', 'the vendor wire to speak')
      .choices(['openai', 'anthropic', 'gemini'])
      .default('openai'),
  )
  .action(runMock);

program
  .command('report')
  .description(
    'Summarise the ledger: failures caught, errors users saw, latency, breaker trips, cost and savings.',
  )
  .option('-c, --config <file>', 'YAML config: its ledger.path, and prices for --baseline')
  .option('-l, --ledger <file>', 'ledger file (default: ledger.path of --config, else ./switchboard.db)')
  .option(
    '-s, --since <period>',
    'a duration back from now (90m, 12h, 30d, 2w) or a date (2025-06-01)',
    '30d',
  )
  .option('-r, --route <route>', 'only requests of this route')
  .option('-f, --format <format>', 'table (terminal), markdown (post-mortems) or json', 'table')
  .option(
    '-b, --baseline <model>',
    'compare the cost with one model: a configured one, or NAME=IN/OUT in USD per 1M tokens (gpt-4o=2.5/10)',
  )
  .action(runReport);

const positive = (value: string) => {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('expected a number > 0');
  return n;
};
const wholePositive = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a whole number ≥ 1');
  return n;
};

program
  .command('drill')
  .description(
    'Fire drill: run the config through simulated outages (each provider down, hanging, rate limited, streams cut, flapping, pairs down) on 127.0.0.1; findings first. Without --config: the demo.',
  )
  .option('-c, --config <file>', 'YAML config file (provider keys need not be set: nothing is sent to them)')
  .option('-r, --route <routes...>', 'only these routes')
  .option(
    '-s, --scenarios <list>',
    'kinds (baseline, down, hang, rate-limit, stream-cut, flap, pair) or ids (down:deepseek), comma-separated',
  )
  .option('-n, --requests <n>', 'requests per route and scenario, half of them streams', wholePositive, 40)
  .option('--from-ledger <file>', 'draw prompt sizes from the requests this ledger recorded')
  .option(
    '--min-availability <pct>',
    'exit 1 when a route answers less than this % in a scenario',
    nonNegative,
    99.9,
  )
  .option('-f, --format <format>', 'table (terminal), markdown (reviews) or json (tools)', 'table')
  .option('--max-seconds <s>', 'real time the drill may take', positive, 60)
  // Exit 1 means a route missed --min-availability: a mistyped option must not look like that.
  .exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : 2))
  .action(runDrillCommand);

await program.parseAsync(process.argv);
