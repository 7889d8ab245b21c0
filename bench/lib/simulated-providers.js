/**
 * The simulated providers of a run, seen from the orchestrator: what they are (`providerSpecs`),
 * starting them (one child process, bench/lib/providers-process.js), and their control plane —
 * set the primary's fault, reset the counts, read how many requests each received.
 */
import { fileURLToPath } from 'node:url';
import { CHAIN, PROVIDERS } from './gateway-config.js';
import { getJson, postJson } from './http.js';
import { spawnManaged, waitForLine } from './processes.js';

const PROVIDERS_CHILD = fileURLToPath(new URL('./providers-process.js', import.meta.url));

/** Words the streaming provider's reply is made of (one content chunk per word). */
const WORDS = ['The', 'quick', 'brown', 'fox', 'jumps', 'over', 'the', 'lazy', 'dog.'];

/**
 * @typedef {{ name: string, latencyMs: number, tokensPerSec: number, reply?: string, words?: number }} ProviderSpec
 *   latencyMs: before the answer's headers; tokensPerSec: stream pace (0 = unpaced: every frame in
 *   one write); reply: the answer text (default the simulator's own, a few words); words: its word count
 */

/**
 * The simulated providers the bench starts: all unpaced with no latency (the overhead rows measure
 * the gateway, not a provider's think time); the streaming one answers `streamChunks` words.
 * @param {{ streamChunks: number }} options
 * @returns {ProviderSpec[]}
 */
export function providerSpecs({ streamChunks }) {
  return PROVIDERS.map((name) => {
    if (name !== 'stream') return { name, latencyMs: 0, tokensPerSec: 0 };
    const reply = Array.from({ length: streamChunks }, (_, i) => WORDS[i % WORDS.length]).join(' ');
    return { name, latencyMs: 0, tokensPerSec: 0, reply, words: streamChunks };
  });
}

/**
 * Starts the providers child; resolves with provider name → base address.
 * @param {ProviderSpec[]} specs
 * @param {string | null} cpu
 * @returns {Promise<Record<string, string>>}
 */
export async function startProviders(specs, cpu) {
  const child = spawnManaged({
    name: 'providers',
    command: process.execPath,
    args: [PROVIDERS_CHILD, JSON.stringify(specs)],
    cpu,
  });
  const [line] = await waitForLine(child, /^\{"providers".*\}$/, 15_000);
  /** @type {Record<string, { url: string }>} */
  const providers = JSON.parse(line).providers;
  return Object.fromEntries(Object.entries(providers).map(([name, p]) => [name, p.url]));
}

/**
 * Sets `fault` on the chain's primary, the others healthy.
 * @param {Record<string, string>} urls
 * @param {string} fault the primary's
 */
export async function setFaults(urls, fault) {
  await Promise.all(
    CHAIN.map((name) => postJson(`${urls[name]}/__fault`, { fault: name === 'primary' ? fault : 'ok' })),
  );
}

/** Clears the chain's request counts (POST /__reset). @param {Record<string, string>} urls */
export async function resetProviders(urls) {
  await Promise.all(CHAIN.map((name) => postJson(`${urls[name]}/__reset`, {})));
}

/**
 * Chat requests each chain provider received since its last reset (GET /__stats, retries included).
 * @param {Record<string, string>} urls
 */
export async function upstreamCounts(urls) {
  /** @type {Record<string, number>} */
  const counts = {};
  for (const name of CHAIN) counts[name] = (await getJson(`${urls[name]}/__stats`)).requests;
  return counts;
}
