import { ConfigError, lintConfig, loadConfigFile, modelsWithoutWindow } from '../config/index.js';

export function runCheck(options: { config: string }): void {
  try {
    const config = loadConfigFile(options.config);
    const warnings = lintConfig(config);
    for (const w of warnings) console.log(`warning: ${w.path}: ${w.message}`);
    const unknownWindows = modelsWithoutWindow(config.models);
    if (unknownWindows.length > 0) {
      console.log(
        `note: no context window known for ${unknownWindows.join(', ')}: tried on any prompt, ` +
          'the window is learnt from the first context-length error (set context_window to skip them before sending)',
      );
    }
    const routes = Object.keys(config.routes).length;
    const models = Object.keys(config.models).length;
    console.log(`${options.config}: OK (${models} models, ${routes} routes, ${warnings.length} warnings)`);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
}
