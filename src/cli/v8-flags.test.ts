import { describe, expect, it } from 'vitest';
import { gatewayV8Flags } from './v8-flags.js';

describe('gatewayV8Flags', () => {
  it('keeps undici’s wasm parser on Liftoff (no tier-up to TurboFan) by default', () => {
    expect(gatewayV8Flags([], '')).toEqual(['--no-wasm-tier-up', '--no-wasm-dynamic-tiering']);
    expect(gatewayV8Flags(['--max-old-space-size=512'], '--enable-source-maps')).toEqual([
      '--no-wasm-tier-up',
      '--no-wasm-dynamic-tiering',
    ]);
  });

  it('leaves a process started with a wasm or Liftoff flag of its own as it is', () => {
    expect(gatewayV8Flags(['--no-liftoff'], '')).toEqual([]);
    expect(gatewayV8Flags([], '--max-old-space-size=512 --wasm-tier-up')).toEqual([]);
    expect(gatewayV8Flags(['--wasm-dynamic-tiering'], '')).toEqual([]);
  });
});
