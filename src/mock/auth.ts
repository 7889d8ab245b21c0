import { createHash, timingSafeEqual } from 'node:crypto';

export type AuthResult = 'ok' | 'missing' | 'invalid';
export type AuthCheck = (authorization: string | undefined) => AuthResult;

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/**
 * Bearer-token check. Only a SHA-256 digest of the key is kept, and the comparison is
 * constant-time; without a key every request passes.
 */
export function bearerAuth(apiKey: string | undefined): AuthCheck {
  if (apiKey === undefined || apiKey === '') return () => 'ok';
  const expected = digest(apiKey);
  return (authorization) => {
    if (authorization === undefined || authorization.trim() === '') return 'missing';
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (!match?.[1]) return 'invalid';
    return timingSafeEqual(digest(match[1]), expected) ? 'ok' : 'invalid';
  };
}
