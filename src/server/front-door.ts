import { SwitchboardError } from '../common/errors.js';
import { createBearerCheck, createKeyCheck } from './auth.js';
import type { Endpoint, EndpointError, WireRequest, WireResponse } from './endpoints/types.js';
import { GatewayError } from './wire/gateway-error.js';
import { toOpenAIError } from './wire/to-openai-error.js';

export interface FrontDoorOptions {
  /** `server.api_keys`: empty means every caller is let in. */
  apiKeys: readonly string[];
  /**
   * Told of an error no endpoint expected (a bug): the caller gets a bare 500 that says it was
   * logged, so this is where it gets logged.
   */
  onUnexpected?: (error: unknown, request: { method: string; path: string }) => void;
}

/** Answers one request: the endpoint's own answer, or an error in the endpoint's error shape. */
export type FrontDoor = (request: WireRequest) => Promise<WireResponse>;

interface PathEntry {
  byMethod: Map<string, Endpoint>;
  allow: string;
}

/**
 * The one front door of both faces: matches the endpoint table by path and method (405 with `Allow`
 * for a known path, 404 naming the API's endpoints otherwise), checks the key, runs the handler and
 * turns a thrown error into the endpoint's error shape. Unknown paths ask for a key too, so a caller
 * without one learns nothing of what is served.
 */
export function createFrontDoor(endpoints: readonly Endpoint[], options: FrontDoorOptions): FrontDoor {
  const authorized = createBearerCheck(options.apiKeys);
  const keyAccepted = createKeyCheck(options.apiKeys);
  const paths = new Map<string, PathEntry>();
  for (const endpoint of endpoints) {
    let entry = paths.get(endpoint.path);
    if (!entry) {
      entry = { byMethod: new Map(), allow: '' };
      paths.set(endpoint.path, entry);
    }
    if (entry.byMethod.has(endpoint.method))
      throw new Error(`two endpoints for ${endpoint.method} ${endpoint.path}`);
    entry.byMethod.set(endpoint.method, endpoint);
    if (endpoint.method === 'GET') entry.byMethod.set('HEAD', endpoint);
    entry.allow = [...entry.byMethod.keys()].join(', ');
  }
  const listed = endpoints
    .filter((e) => e.listed)
    .map((e) => `${e.method} ${e.path}`)
    .join(', ');

  return async (request) => {
    const entry = paths.get(request.path);
    const endpoint = entry?.byMethod.get(request.method);
    // A known path with another method answers in that path's shape, and takes its key header.
    const shape = endpoint ?? entry?.byMethod.values().next().value;
    const toError = shape?.toError ?? toOpenAIError;
    try {
      if (
        endpoint?.auth !== false &&
        !authorized(request.header('authorization')) &&
        !(shape?.apiKeyHeader && keyAccepted(request.header(shape.apiKeyHeader)))
      )
        throw missingKey();
      if (!entry) throw notFound(request, listed);
      if (!endpoint) throw methodNotAllowed(request, entry.allow);
      return await endpoint.handle(request);
    } catch (error) {
      const wire = toError(error);
      if (wire.status === 500 && !(error instanceof SwitchboardError))
        options.onUnexpected?.(error, { method: request.method, path: entry ? request.path : '(unknown)' });
      return errorResponse(wire);
    }
  };
}

/** An error as a JSON answer. */
export function errorResponse(wire: EndpointError): WireResponse {
  return { kind: 'json', status: wire.status, headers: wire.headers, body: wire.body };
}

function missingKey(): GatewayError {
  return new GatewayError(
    401,
    'invalid_request_error',
    'invalid_api_key',
    'Missing or invalid API key. Send `Authorization: Bearer <key>` with a key from server.api_keys.',
  );
}

function notFound(request: WireRequest, listed: string): GatewayError {
  const path = request.path.length > 200 ? `${request.path.slice(0, 200)}…` : request.path;
  return new GatewayError(
    404,
    'invalid_request_error',
    'not_found',
    `No route for ${request.method.slice(0, 16)} ${path}. Switchboard serves ${listed}.`,
  );
}

function methodNotAllowed(request: WireRequest, allow: string): GatewayError {
  return new GatewayError(
    405,
    'invalid_request_error',
    'method_not_allowed',
    `${request.method.slice(0, 16)} is not allowed on ${request.path}; use ${allow}.`,
    null,
    { allow },
  );
}
