/** `switchboard drill`: a real config through simulated outages, on 127.0.0.1, in simulated time. */
export { DRILL_FORMATS, type DrillFormat, formatDrill } from './format-drill.js';
export { DEFAULT_PROMPT_MIX, PromptSourceError } from './prompt-mix.js';
export { DRILL_DEFAULTS, DrillOptionError, type DrillOptions, runDrill } from './run-drill.js';
export { SCENARIO_KINDS, ScenarioSelectionError } from './scenarios.js';
export type * from './types.js';
