/**
 * undici's Pool class, from its own file: `undici/lib/dispatcher/pool.js` exports the same class
 * as `import { Pool } from 'undici'` (undici's index requires this file), without loading the rest of
 * undici. undici has no `exports` map, so the path is public to Node; it is pinned with the lockfile,
 * and `upstream-pool.test.ts` fails if a new undici moves it.
 */
declare module 'undici/lib/dispatcher/pool.js' {
  import { Pool } from 'undici';
  export default Pool;
}
