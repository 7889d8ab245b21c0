import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Endpoint, WireResponse } from '../endpoints/types.js';
import { GatewayError } from '../wire/gateway-error.js';

/**
 * The dashboard's page, script and styles: plain files in the package's top-level `dashboard/`
 * folder (no build step), found from this module's URL: `src/server/dashboard/` and
 * `dist/server/dashboard/` are both three levels below the package root.
 */
export const DASHBOARD_DIR = fileURLToPath(new URL('../../../dashboard/', import.meta.url));

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/**
 * Sent with every dashboard answer: scripts, styles and connections from the gateway only (no inline
 * code, nothing third-party), never framed, no referrer (the page's URL carries nothing, but still).
 */
export const DASHBOARD_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
    "object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cache-control': 'no-cache',
};

/**
 * Public endpoints for the shell: `/dashboard` (and `/dashboard/`) is `index.html`, every other file
 * is `/dashboard/<name>`. Files are read once, at start. The shell holds no data: the script fetches
 * it from `/dashboard/data` and `/events`, which are behind the key.
 */
export function dashboardAssetEndpoints(dir = DASHBOARD_DIR): Endpoint[] {
  const asset = (path: string, handle: Endpoint['handle']): Endpoint => ({
    method: 'GET',
    path,
    auth: false,
    handle,
  });
  if (!existsSync(dir)) {
    return [
      asset('/dashboard', () => {
        throw new GatewayError(
          500,
          'api_error',
          'dashboard_missing',
          'The dashboard files are not installed with this package (the dashboard/ folder is missing).',
        );
      }),
    ];
  }
  const endpoints: Endpoint[] = [];
  for (const name of readdirSync(dir)) {
    const contentType = TYPES[extname(name)];
    if (!contentType) continue;
    const body = readFileSync(join(dir, name), 'utf8');
    const answer = (): WireResponse => ({
      kind: 'text',
      status: 200,
      headers: { ...DASHBOARD_SECURITY_HEADERS },
      contentType,
      body,
    });
    endpoints.push(asset(`/dashboard/${name}`, answer));
    if (name === 'index.html') endpoints.push(asset('/dashboard', answer), asset('/dashboard/', answer));
  }
  return endpoints;
}
