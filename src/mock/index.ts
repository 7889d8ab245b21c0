/**
 * The simulated OpenAI-compatible provider: a real loopback HTTP server with fault injection
 * (`startMockProvider({ fault: 'stream-cut:2' })`, or `POST /__fault {"fault":"503"}` at runtime),
 * counters and a bounded request log (`stats()` / `GET /__stats`). See `FAULT_MODES` for the specs.
 */

export { mulberry32, seededRandom } from '../common/seeded-random.js';
export { FAULT_MODES, type Fault, type FaultType, formatFault, parseFault } from './faults.js';
export type { OpenAIErrorBody } from './openai-errors.js';
export type { ChatCompletion, ChatCompletionChunk, Delta, ModelList, Usage } from './responses.js';
export { startMockProvider } from './server.js';
export type { MockLogEntry, MockOutcome, MockStats } from './stats.js';
export type { MockProtocol, MockProvider, MockProviderOptions } from './types.js';
