import { ConfigError } from '../config/index.js';
import {
  DRILL_FORMATS,
  type DrillFormat,
  DrillOptionError,
  formatDrill,
  PromptSourceError,
  runDrill,
  ScenarioSelectionError,
} from '../drill/index.js';
import { demoConfig } from './demo.js';

export interface DrillCommandOptions {
  config?: string;
  route?: string[];
  scenarios?: string;
  requests?: number;
  fromLedger?: string;
  minAvailability?: number;
  format?: string;
  maxSeconds?: number;
}

/** Exit status when a route fell below --min-availability in a scenario. */
export const EXIT_BELOW_TARGET = 1;
/** Exit status when the drill could not run (a broken config, an unknown route or scenario). */
export const EXIT_CANNOT_DRILL = 2;

/**
 * `switchboard drill`: the config (or, without --config, the demo's) through every outage scenario on
 * simulators; prints the findings and figures; exits 1 when a route misses --min-availability.
 */
export async function runDrillCommand(options: DrillCommandOptions): Promise<void> {
  const format = (options.format ?? 'table') as DrillFormat;
  if (!DRILL_FORMATS.includes(format)) fail(`--format must be one of ${DRILL_FORMATS.join(', ')}`);
  try {
    const report = await runDrill({
      config: options.config ?? demoConfig(() => 'http://127.0.0.1/v1'),
      ...(options.route ? { routes: options.route } : {}),
      ...(options.scenarios !== undefined ? { scenarios: options.scenarios } : {}),
      ...(options.requests !== undefined ? { requests: options.requests } : {}),
      ...(options.fromLedger !== undefined ? { fromLedger: options.fromLedger } : {}),
      ...(options.minAvailability !== undefined ? { minAvailabilityPct: options.minAvailability } : {}),
      ...(options.maxSeconds !== undefined ? { maxSeconds: options.maxSeconds } : {}),
    });
    process.stdout.write(formatDrill(report, format));
    if (report.belowTarget.length > 0) process.exitCode = EXIT_BELOW_TARGET;
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message);
    if (
      error instanceof DrillOptionError ||
      error instanceof ScenarioSelectionError ||
      error instanceof PromptSourceError
    ) {
      fail(`switchboard drill: ${error.message}`);
    }
    throw error;
  }
}

function fail(message: string): never {
  console.error(message);
  process.exit(EXIT_CANNOT_DRILL);
}
