export { builtInContextWindow, modelsWithoutWindow } from './context-windows.js';
export { DEFAULTS } from './defaults.js';
export { ConfigError, formatIssue, formatIssues } from './errors.js';
export type { Env, UnsetEnv } from './interpolate.js';
export { lintConfig } from './lint.js';
export { loadConfigFile } from './load.js';
export { type ParseOptions, parseConfig } from './parse.js';
export { findPreset, PRESET_NAMES, PRESETS, type Preset, type PresetName } from './presets.js';
export * from './types.js';
