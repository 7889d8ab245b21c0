#!/usr/bin/env node
/**
 * Switchboard's benchmark suite (`npm run bench`, not part of `npm test`).
 *
 * Starts the simulated providers (one child process) and the gateway (another, fresh for each load
 * and each fault scenario) as separate processes, drives load with wrk when it is installed (else
 * autocannon), prints the tables and writes bench/results/latest.{json,md} plus a timestamped copy.
 * How to read the results and how to profile the gateway: bench/README.md. The modules: bench/lib/
 * (main.js runs the whole thing).
 *
 *   npm run bench                       # full run (10 s phases; a few minutes)
 *   npm run bench -- --quick            # smoke check (3 s phases; under a minute)
 *   npm run bench -- --only overhead    # or: --only faults
 *   npm run bench -- --duration 5 --scenarios primary-down,stream-cut
 *   node bench/run.js --tiny --out /tmp/bench   # a few seconds; what the harness test runs
 */
import { log } from './lib/log.js';
import { main } from './lib/main.js';
import { stopAll } from './lib/processes.js';

main().then(
  () => process.exit(process.exitCode ?? 0),
  (error) => {
    log(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    stopAll(1000).finally(() => process.exit(1));
  },
);
