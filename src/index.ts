export { type Clock, type Random, systemClock } from './common/clock.js';
export { SwitchboardError } from './common/errors.js';
export { ManualClock } from './common/manual-clock.js';
export { ConfigError, lintConfig, loadConfigFile, parseConfig } from './config/index.js';
export type * from './config/types.js';
export { type MockProvider, type MockProviderOptions, parseFault, startMockProvider } from './mock/index.js';
export type {
  EmbeddingRequest,
  EmbeddingRequestBody,
  EmbeddingResult,
  EmbeddingUsage,
} from './providers/embedding-types.js';
export type {
  ChatCompletion,
  ChatCompletionChunk,
  ChatProvider,
  ChatRequestBody,
  Usage,
} from './providers/types.js';
export { type ErrorKind, UpstreamError } from './providers/upstream-error.js';
export type {
  AttemptRecord,
  ChatResult,
  EmbedResult,
  RequestOptions,
  ResultMetadata,
  StreamResult,
  SwitchboardEvent,
} from './routing/index.js';
export { RequestFailedError, UnknownModelError } from './routing/index.js';
export { createSwitchboard, type Switchboard, type SwitchboardOptions } from './switchboard.js';
