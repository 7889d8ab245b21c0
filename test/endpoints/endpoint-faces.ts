import { startGateway } from '../../src/gateway.js';
import type { MockProviderOptions } from '../../src/mock/types.js';
import type { SwitchboardEvent } from '../../src/routing/events.js';
import { CLAUDE_KEY, startMixed } from '../providers/anthropic-support.js';
import { onCleanup } from '../support/engine.js';

export const GATEWAY_KEY = 'sk-switchboard-endpoints';

export type Face = 'gateway' | 'fetch';

/**
 * A gateway over simulated providers (names starting with `claude` speak Anthropic's wire) with a
 * key, and the same instance's `sb.fetch` as a second face: `fetchOf(face)` is a fetch function any
 * SDK takes, `baseOf(face)` its base URL. `count(name)` is how many requests a provider received.
 */
export async function startFaces(
  specs: Record<string, MockProviderOptions>,
  overrides: Record<string, unknown> = {},
) {
  const mixed = await startMixed(specs, { server: { api_keys: [GATEWAY_KEY] }, ...overrides });
  const gateway = await startGateway(mixed.config, { logger: false, port: 0, random: () => 0 });
  onCleanup(() => gateway.close(1_000));
  const events: SwitchboardEvent[] = [];
  gateway.switchboard.events.on((e) => events.push(e));
  const fetchOf = (face: Face): typeof fetch =>
    face === 'gateway' ? fetch : (gateway.switchboard.fetch as typeof fetch);
  const baseOf = (face: Face) => (face === 'gateway' ? gateway.url : 'http://switchboard.local');
  return { ...mixed, gateway, events, fetchOf, baseOf, claudeKey: CLAUDE_KEY };
}

export const FACES: Face[] = ['gateway', 'fetch'];
