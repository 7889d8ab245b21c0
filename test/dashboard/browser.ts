import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { type Browser, chromium, type Page } from 'playwright-core';

/** Where the distribution's Chromium lives (Debian's `chromium` package); CHROMIUM_PATH overrides. */
const CANDIDATES = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(
  (p): p is string => typeof p === 'string' && p !== '',
);

/** Is the distribution's Chromium here? */
export const chromiumInstalled = CANDIDATES.some((p) => existsSync(p));

/** In CI (`CI=true`) the browser tests must run: .ci/run installs chromium. */
export const chromiumRequired = process.env.CI === 'true';

if (!chromiumInstalled && !chromiumRequired) {
  // biome-ignore lint/suspicious/noConsole: says once why the browser tests are skipped, and how to run them
  console.warn(
    "Chromium is not installed: the dashboard's browser tests are skipped. Install it (Debian/Ubuntu: " +
      'apt-get install -y chromium) or set CHROMIUM_PATH to run them; CI always runs them.',
  );
}

/**
 * Headless Chromium from the system: nothing here downloads a browser. Missing in CI → the test
 * fails with how to install it.
 */
export async function launchChromium(): Promise<Browser> {
  const executablePath = CANDIDATES.find((p) => existsSync(p));
  if (!executablePath) {
    throw new Error(
      `The dashboard's browser tests need Chromium, looked for ${CANDIDATES.join(', ')}. ` +
        'Install it with `apt-get install chromium` (Debian; .ci/run does this), or set CHROMIUM_PATH.',
    );
  }
  // --no-sandbox: CI containers run as root, where Chromium's sandbox cannot start.
  return chromium.launch({ executablePath, headless: true, args: ['--no-sandbox'] });
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core's WCAG 2 A/AA rules on the page as it is now (offline: the script is read from node_modules). */
export async function axeViolations(page: Page): Promise<string[]> {
  // Evaluated through the DevTools protocol, which the page's CSP does not govern.
  await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(ctx: unknown, opts: unknown): Promise<AxeResults> } })
      .axe;
    const results = await axe.run((globalThis as unknown as { document: unknown }).document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'best-practice'] },
    });
    if (results.passes.length === 0) return ['axe ran no check: is the page empty?'];
    return results.violations.map(
      (v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join('; ')})`,
    );
  });
}

interface AxeResults {
  passes: unknown[];
  violations: Array<{ id: string; help: string; nodes: Array<{ target: string[] }> }>;
}
