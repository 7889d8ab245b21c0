import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * The credentials of `Authorization: Bearer <key>`; the scheme is case-insensitive (RFC 9110 §11.1),
 * so `bearer` and `BEARER` are the same. Undefined for any other scheme or a missing key.
 */
export function bearerToken(authorization: string | undefined): string | undefined {
  if (authorization === undefined || authorization.length < 7) return undefined;
  if (authorization.slice(0, 7).toLowerCase() !== 'bearer ') return undefined;
  const key = authorization.slice(7).trim();
  return key === '' ? undefined : key;
}

/**
 * Checks `Authorization: Bearer <key>` against the configured keys in constant time (keys are
 * hashed first, so their lengths leak nothing either). No keys configured → everything passes.
 */
export function createBearerCheck(keys: readonly string[]): (authorization: string | undefined) => boolean {
  const check = createKeyCheck(keys);
  if (keys.length === 0) return () => true;
  return (authorization) => check(bearerToken(authorization));
}

/** Checks a bare key (e.g. `x-api-key`) the same way: constant time, hashed; no keys → everything passes. */
export function createKeyCheck(keys: readonly string[]): (key: string | undefined) => boolean {
  if (keys.length === 0) return () => true;
  const digests = keys.map(sha256);
  return (raw) => {
    const key = raw?.trim();
    if (key === undefined || key === '') return false;
    const candidate = sha256(key);
    let ok = false;
    for (const digest of digests) ok = timingSafeEqual(candidate, digest) || ok;
    return ok;
  };
}

function sha256(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
