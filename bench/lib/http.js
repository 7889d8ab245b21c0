/**
 * The bench's control-plane calls (never the measured traffic): the simulated providers'
 * `/__fault`, `/__reset`, `/__stats`, and the gateway's `/metrics` and `/healthz`. Each is bounded
 * by a timeout.
 */

const TIMEOUT_MS = 5000;

/**
 * @param {string} url
 * @param {RequestInit} [init]
 */
async function call(url, init = {}) {
  const response = await fetch(url, { ...init, signal: AbortSignal.timeout(TIMEOUT_MS) });
  const text = await response.text();
  if (!response.ok)
    throw new Error(`${init.method ?? 'GET'} ${url}: HTTP ${response.status}: ${text.slice(0, 300)}`);
  return text;
}

/** @param {string} url */
export async function getText(url) {
  return call(url);
}

/** @param {string} url */
export async function getJson(url) {
  return JSON.parse(await call(url));
}

/**
 * @param {string} url
 * @param {unknown} body
 */
export async function postJson(url, body) {
  return JSON.parse(
    await call(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }),
  );
}

/** @param {number} ms */
export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
