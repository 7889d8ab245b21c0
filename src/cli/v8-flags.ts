import { setFlagsFromString } from 'node:v8';

/**
 * The V8 settings of a gateway process (`switchboard serve`, `switchboard demo`), set before its
 * first upstream connection. The library sets none: a process that embeds Switchboard keeps its own.
 *
 * `--no-wasm-tier-up --no-wasm-dynamic-tiering`: undici parses the upstreams' HTTP answers with
 * llhttp compiled to WebAssembly. V8 compiles it with Liftoff, its baseline wasm compiler, and under
 * load compiles the hot functions again with TurboFan. On the bench, that second compilation made a
 * ~20 MB spike of resident memory in the first second of load and left ~6 MB more for good; the
 * parser's share of the CPU was 1.83 % without it and 1.80 % with it (bench/README.md, "Peak RSS").
 * Both flags, because set at run time V8 applies no implications: `--no-wasm-tier-up` alone still
 * tiers up hot functions (dynamic tiering). (`--liftoff-only` does the same, but is a testing flag.)
 */
const GATEWAY_V8_FLAGS = ['--no-wasm-tier-up', '--no-wasm-dynamic-tiering'];

/**
 * The flags to set: none when the process was started with a wasm or Liftoff flag of its own
 * (`node --wasm-...`, `NODE_OPTIONS`), which it keeps.
 */
export function gatewayV8Flags(execArgv: readonly string[], nodeOptions: string): string[] {
  const own = [...execArgv, ...nodeOptions.split(/\s+/)];
  return own.some((flag) => /^--(no-)?(wasm|liftoff)/.test(flag)) ? [] : [...GATEWAY_V8_FLAGS];
}

/** Sets `gatewayV8Flags` of this process. */
export function applyGatewayV8Flags(): void {
  for (const flag of gatewayV8Flags(process.execArgv, process.env.NODE_OPTIONS ?? '')) {
    setFlagsFromString(flag);
  }
}
