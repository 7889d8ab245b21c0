/** What the rest of Switchboard uses of the routing core: the engine, its events, results and seams. */

export type { EmbedResult } from './embed/embed.js';
export { Engine } from './engine.js';
export {
  InvalidRequestError,
  RequestFailedError,
  type RequestFailureCode,
  UnknownModelError,
} from './errors.js';
export { EventBus, type Listener, type SwitchboardEvent, type SwitchboardEventType } from './events.js';
export { HealthProber, type HealthProberDeps } from './health/health-prober.js';
export { ModelHealth } from './health/model-health.js';
export {
  localSharedState,
  type RemoteStateEvent,
  type SharedState,
  type SharedStateStatus,
} from './health/shared-state.js';
export type {
  AttemptOutcome,
  AttemptRecord,
  ResultMetadata,
  SkippedModel,
  SkipReason,
  StreamRecovery,
} from './metadata.js';
export { freshMetadata } from './metadata.js';
export type { StreamResult } from './stream/session.js';
export type { Operation, TraceHeaders, TraceParent } from './trace-context.js';
export type { ChatResult, EngineDeps, RequestOptions } from './types.js';
