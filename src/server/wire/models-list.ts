import type { SwitchboardConfig } from '../../config/types.js';

/** `GET /v1/models`: the routes and the models, in OpenAI's list shape. */
export function modelsList(config: SwitchboardConfig, createdS: number) {
  const data = [
    ...Object.values(config.routes).map((r) => ({
      id: r.id,
      object: 'model',
      created: createdS,
      owned_by: 'switchboard',
      switchboard: { kind: 'route', chain: r.models },
    })),
    ...Object.values(config.models).map((m) => ({
      id: m.id,
      object: 'model',
      created: createdS,
      owned_by: m.provider,
      switchboard: {
        kind: 'model',
        provider: m.provider,
        fallbacks: m.fallbacks,
        context_window: m.contextWindow ?? null,
      },
    })),
  ];
  return { object: 'list', data };
}
