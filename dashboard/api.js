// Data calls of the dashboard: the key lives in sessionStorage (this tab only) and travels as a
// bearer header, never in a URL.
const KEY = 'switchboard.apiKey';

export class AuthError extends Error {
  constructor(status) {
    super(`refused with HTTP ${status}`);
    this.status = status;
  }
}

export function savedKey() {
  return sessionStorage.getItem(KEY);
}

export function saveKey(key) {
  sessionStorage.setItem(KEY, key);
}

export function forgetKey() {
  sessionStorage.removeItem(KEY);
}

export function authHeaders() {
  const key = savedKey();
  return key ? { authorization: `Bearer ${key}` } : {};
}

/** GET a path with the key; 401/403 → AuthError; another failure → Error with the gateway's message. */
export async function get(path, init = {}) {
  const res = await fetch(path, {
    ...init,
    headers: { ...authHeaders(), ...(init.headers ?? {}) },
    cache: 'no-store',
  });
  if (res.status === 401 || res.status === 403) throw new AuthError(res.status);
  return res;
}

/** The gateway's error message from an OpenAI-shaped error body, or the status. */
export async function errorMessage(res) {
  try {
    const body = await res.json();
    return body?.error?.message ?? `HTTP ${res.status}`;
  } catch {
    return `HTTP ${res.status}`;
  }
}
