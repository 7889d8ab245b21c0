import type { SwitchboardConfig } from '../../config/types.js';
import { modelsList } from '../wire/models-list.js';
import type { Endpoint } from './types.js';

/** `GET /v1/models`: the routes and models a caller may name. */
export function modelsEndpoint(config: SwitchboardConfig, createdS: number): Endpoint {
  const list = modelsList(config, createdS);
  return {
    method: 'GET',
    path: '/v1/models',
    listed: true,
    handle: () => ({ kind: 'json', status: 200, body: list }),
  };
}
