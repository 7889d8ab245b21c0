import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Checks `Authorization: Bearer <key>` against the configured keys in constant time (keys are
 * hashed first, so their lengths leak nothing either). No keys configured → everything passes.
 */
export function createBearerCheck(keys: readonly string[]): (authorization: string | undefined) => boolean {
  if (keys.length === 0) return () => true;
  const digests = keys.map(sha256);
  return (authorization) => {
    if (!authorization?.startsWith('Bearer ')) return false;
    const candidate = sha256(authorization.slice(7).trim());
    let ok = false;
    for (const digest of digests) ok = timingSafeEqual(candidate, digest) || ok;
    return ok;
  };
}

function sha256(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
