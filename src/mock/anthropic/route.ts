import type { IncomingMessage, ServerResponse } from 'node:http';
import { pathOf, sendJson } from '../http-util.js';
import type { MockState } from '../state.js';
import { anthropicError } from './errors.js';
import { type AnthropicConfig, handleMessages } from './handle-messages.js';

/**
 * The Messages API routes of a simulated Claude: `POST /v1/messages` and `GET /v1/models`. Returns
 * false for the control routes (`/__stats`, `/__fault`, `/__reset`), which every wire shares.
 */
export function routeAnthropic(
  req: IncomingMessage,
  res: ServerResponse,
  state: MockState,
  cfg: AnthropicConfig,
): boolean {
  const path = pathOf(req.url);
  if (path.startsWith('/__')) return false;
  const method = req.method ?? 'GET';
  if (method === 'POST' && path === '/v1/messages') {
    handleMessages(req, res, state, cfg).catch(() => fail(res));
    return true;
  }
  if (method === 'GET' && path === '/v1/models') {
    const key = req.headers['x-api-key'];
    if (cfg.auth(typeof key === 'string' ? `Bearer ${key}` : undefined) !== 'ok') {
      sendJson(res, 401, anthropicError('authentication_error', 'invalid x-api-key', 'req_models'));
      return true;
    }
    const model = { type: 'model', id: cfg.name, display_name: cfg.name, created_at: '2025-01-01T00:00:00Z' };
    sendJson(res, 200, { data: [model], has_more: false, first_id: cfg.name, last_id: cfg.name });
    return true;
  }
  const shown = path.length > 200 ? `${path.slice(0, 200)}…` : path;
  sendJson(res, 404, anthropicError('not_found_error', `Not found: ${method} ${shown}`, 'req_unknown'));
  return true;
}

function fail(res: ServerResponse): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendJson(res, 500, anthropicError('api_error', 'Internal error in the mock provider.', 'req_internal'));
}
