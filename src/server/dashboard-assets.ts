import { existsSync, readdirSync, readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GatewayError } from './wire/gateway-error.js';

/**
 * The dashboard's page, script and styles: plain files in the package's top-level `dashboard/`
 * folder (no build step), found from this module's URL: `src/server/` and `dist/server/` are both
 * two levels below the package root.
 */
export const DASHBOARD_DIR = fileURLToPath(new URL('../../dashboard/', import.meta.url));

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

type Get = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * Public `GET` handlers for the shell: `/dashboard` (and `/dashboard/`) is `index.html`, every other
 * file is `/dashboard/<name>`. Files are read once, at start. The shell holds no data: the script
 * fetches it from `/dashboard/data` and `/events`, which are behind the key.
 */
export function dashboardAssetRoutes(dir = DASHBOARD_DIR): Record<string, Get> {
  if (!existsSync(dir)) {
    const missing: Get = () => {
      throw new GatewayError(
        500,
        'api_error',
        'dashboard_missing',
        'The dashboard files are not installed with this package (the dashboard/ folder is missing).',
      );
    };
    return { '/dashboard': missing };
  }
  const routes: Record<string, Get> = {};
  for (const name of readdirSync(dir)) {
    const type = TYPES[extname(name)];
    if (!type) continue;
    const body = readFileSync(join(dir, name));
    const send: Get = (req, res) => {
      res.writeHead(200, {
        ...DASHBOARD_SECURITY_HEADERS,
        'content-type': type,
        'content-length': String(body.length),
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    routes[`/dashboard/${name}`] = send;
    if (name === 'index.html') {
      routes['/dashboard'] = send;
      routes['/dashboard/'] = send;
    }
  }
  return routes;
}
