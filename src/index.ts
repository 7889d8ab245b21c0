export { type Clock, type Random, systemClock } from './common/clock.js';
export { SwitchboardError } from './common/errors.js';
export { ManualClock } from './common/manual-clock.js';
export { ConfigError, lintConfig, loadConfigFile, parseConfig } from './config/index.js';
export type * from './config/types.js';
export { type MockProvider, type MockProviderOptions, parseFault, startMockProvider } from './mock/index.js';
export type {
  ChatCompletion,
  ChatCompletionChunk,
  ChatProvider,
  ChatRequestBody,
  Usage,
} from './providers/types.js';
export { type ErrorKind, UpstreamError } from './providers/upstream-error.js';
export type { ChatResult, RequestOptions } from './routing/engine.js';
export { RequestFailedError, UnknownModelError } from './routing/errors.js';
export type { SwitchboardEvent } from './routing/events.js';
export type { AttemptRecord, ResultMetadata } from './routing/metadata.js';
export type { StreamResult } from './routing/stream-session.js';
export { createSwitchboard, type Switchboard, type SwitchboardOptions } from './switchboard.js';
