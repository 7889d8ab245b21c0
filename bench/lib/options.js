/**
 * The bench's command line: the phase profiles (full, --quick, --tiny), the help text, and
 * `parseOptions`, which turns argv into the options every other module reads.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { QUICK_SCENARIOS, SCENARIOS, selectScenarios, TINY_SCENARIOS } from './scenarios.js';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const DEFAULT_OUT = join(ROOT, 'bench', 'results');

/** Keep-alive connections of every load phase but the 1-connection latency rows. */
export const CONNECTIONS = 32;
/** Content chunks (words) per streamed answer in the streaming overhead rows, unless --stream-chunks. */
export const DEFAULT_STREAM_CHUNKS = 20;
const MAX_STREAM_CHUNKS = 10_000;

/**
 * Phase lengths in seconds per mode: `durationS` each measured load phase, `warmupS` the
 * unmeasured warm-up of a fault scenario, `latencyS` each 1-connection phase, `overheadWarmupS`
 * the unmeasured warm-up before each overhead load phase. The full overhead warm-up is 6 s: under
 * the 32-connection load a fresh gateway takes ~5 s to reach its steady state (JIT, V8's young
 * generation growing to its size, the first full GCs): of the requests slower than 30 ms in a 13 s
 * stream run, 94 % started in those first 5 s (bench/README.md, "Phases per mode").
 */
export const PROFILES = {
  full: { durationS: 10, warmupS: 2, latencyS: 10, overheadWarmupS: 6 },
  quick: { durationS: 3, warmupS: 1.5, latencyS: 2, overheadWarmupS: 1 },
  tiny: { durationS: 1, warmupS: 0.5, latencyS: 1, overheadWarmupS: 0.5 },
};

/** @typedef {typeof PROFILES.full} Profile */

export const HELP = `Usage: node bench/run.js [options]   (or: npm run bench -- [options])

  --quick              short phases (${PROFILES.quick.durationS} s), no streaming fault baseline: a smoke check in under a minute
  --tiny               ${PROFILES.tiny.durationS} s phases, ${TINY_SCENARIOS.length} fault scenarios: a few seconds (what the harness test runs)
  --only WHAT          overhead | faults | recovery (default: all three)
  --duration S         length of each measured phase, seconds (default ${PROFILES.full.durationS}; --quick ${PROFILES.quick.durationS})
  --warmup S           unmeasured warm-up of each fault scenario, seconds (default ${PROFILES.full.warmupS})
  --scenarios A,B      fault scenarios to run (their baselines are added); ids:
                       ${SCENARIOS.map((s) => s.id).join(', ')}
  --stream-chunks N    content chunks per streamed answer in the streaming overhead rows (default ${DEFAULT_STREAM_CHUNKS})
  --hedge              run the "with hedging" row (needs routes.<name>.hedge in the gateway)
  --tool T             auto | wrk | autocannon (default auto: wrk when installed)
  --gateway-node-args="A B"
                       extra node flags for every gateway process (with "=": they start with a dash), e.g.
                       --gateway-node-args="--cpu-prof --cpu-prof-dir=/tmp/prof" (bench/README.md, "Profiling")
  --gateway-log DIR    write each gateway process's whole stdout and stderr to DIR/gateway-<pid>.log
  --no-pin             do not pin processes to cores with taskset
  --out DIR            where to write the results (default bench/results)
  --strict             exit 2 when a check fails
  -h, --help           this text
`;

/**
 * @param {string | undefined} text
 * @param {string} flag
 */
function seconds(text, flag) {
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0 || n > 600)
    throw new Error(`${flag} takes a number of seconds (0 < S ≤ 600)`);
  return n;
}

/** @param {string} text */
function streamChunks(text) {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > MAX_STREAM_CHUNKS) {
    throw new Error(`--stream-chunks takes a whole number of chunks (1 ≤ N ≤ ${MAX_STREAM_CHUNKS})`);
  }
  return n;
}

/**
 * @param {string[]} [argv] default: this process's arguments
 */
export function parseOptions(argv = process.argv.slice(2)) {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
      tiny: { type: 'boolean', default: false },
      only: { type: 'string' },
      duration: { type: 'string' },
      warmup: { type: 'string' },
      scenarios: { type: 'string' },
      'stream-chunks': { type: 'string' },
      hedge: { type: 'boolean', default: false },
      tool: { type: 'string', default: 'auto' },
      'gateway-node-args': { type: 'string' },
      'gateway-log': { type: 'string' },
      'no-pin': { type: 'boolean', default: false },
      out: { type: 'string' },
      strict: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  const mode = values.tiny ? 'tiny' : values.quick ? 'quick' : 'full';
  /** @type {Profile} */
  const profile = { ...PROFILES[mode] };
  if (values.duration !== undefined) {
    profile.durationS = seconds(values.duration, '--duration');
    profile.latencyS = profile.durationS;
  }
  if (values.warmup !== undefined) profile.warmupS = seconds(values.warmup, '--warmup');
  if (values.only !== undefined && !['overhead', 'faults', 'recovery'].includes(values.only)) {
    throw new Error('--only takes overhead, faults or recovery');
  }
  if (!['auto', 'wrk', 'autocannon'].includes(values.tool ?? '')) {
    throw new Error('--tool takes auto, wrk or autocannon');
  }
  const scenarioIds = values.scenarios
    ? values.scenarios
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : mode === 'tiny'
      ? TINY_SCENARIOS
      : mode === 'quick'
        ? QUICK_SCENARIOS
        : null;
  return {
    help: values.help,
    mode: values.duration !== undefined || values.warmup !== undefined ? `${mode}, custom phases` : mode,
    profile,
    connections: CONNECTIONS,
    streamChunks:
      values['stream-chunks'] !== undefined ? streamChunks(values['stream-chunks']) : DEFAULT_STREAM_CHUNKS,
    overhead: values.only === undefined || values.only === 'overhead',
    faults: values.only === undefined || values.only === 'faults',
    recovery: values.only === undefined || values.only === 'recovery',
    // --tiny and --quick leave out the streaming baseline, unless scenarios are named.
    scenarios: selectScenarios(scenarioIds, mode === 'full' || values.scenarios !== undefined),
    hedge: values.hedge,
    tool: /** @type {'auto' | 'wrk' | 'autocannon'} */ (values.tool),
    gatewayNodeArgs: (values['gateway-node-args'] ?? '').split(/\s+/).filter(Boolean),
    gatewayLogDir: values['gateway-log'] ?? null,
    pin: !values['no-pin'],
    out: values.out ?? DEFAULT_OUT,
    strict: values.strict,
  };
}

/** @typedef {ReturnType<typeof parseOptions>} Options */
