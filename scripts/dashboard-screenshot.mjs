// Takes docs/dashboard.png: the demo gateway during its staged outage, in headless Chromium (the
// system's, like the browser tests; nothing is downloaded). Run: npm run screenshot
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { startDemo } from '../dist/cli/demo.js';
import { systemClock } from '../dist/common/clock.js';
import { OUTAGE_SCRIPT, runOutageScript } from '../dist/demo/outage-script.js';
import { runTraffic } from '../dist/demo/traffic.js';
import { startGateway } from '../dist/server/gateway.js';

const out = process.argv[2] ?? 'docs/dashboard.png';
const executablePath = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find(
  (p) => p && existsSync(p),
);
if (!executablePath) throw new Error('Chromium not found: apt-get install chromium, or set CHROMIUM_PATH');

const dir = mkdtempSync(join(tmpdir(), 'sb-shot-'));
const demo = await startDemo();
const gateway = await startGateway(
  {
    ...demo.config,
    circuit_breaker: { failure_threshold: 3, window_ms: 20_000, cooldown_ms: 5_000, max_cooldown_ms: 10_000 },
    ledger: { path: join(dir, 'ledger.db') },
    logging: { level: 'silent' },
  },
  { port: 0 },
);
const abort = new AbortController();
const routes = Object.keys(gateway.switchboard.config.routes);
const traffic = runTraffic({
  baseUrl: gateway.url,
  routes,
  perSecond: 6,
  clock: systemClock,
  signal: abort.signal,
});
const script = runOutageScript({
  clock: systemClock,
  signal: abort.signal,
  steps: OUTAGE_SCRIPT,
  apply: (provider, fault) => demo.mocks.get(provider)?.setFault(fault),
  say: (step) => process.stdout.write(`${step.say}\n`),
});
const browser = await chromium.launch({ executablePath, headless: true, args: ['--no-sandbox'] });
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 });
  await page.goto(`${gateway.url}/dashboard`);
  // The primary's breaker open after the rate limit, with the fallbacks in the feed (about 20 s in).
  await page.waitForSelector('[data-model="deepseek-chat"][data-state="open"]', { timeout: 60_000 });
  await page.waitForSelector('#feed [data-type="fallback"]', { timeout: 10_000 });
  await page.waitForSelector('.report-table', { timeout: 20_000 });
  await page.waitForTimeout(1_500); // let the next poll draw the latest second
  await page.screenshot({ path: out, fullPage: true });
  process.stdout.write(`saved ${out}\n`);
} finally {
  await browser.close();
  abort.abort();
  await Promise.all([traffic, script]);
  await gateway.close(1_000);
  await demo.close();
  rmSync(dir, { recursive: true, force: true });
}
