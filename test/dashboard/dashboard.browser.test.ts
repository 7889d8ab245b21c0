import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway } from '../../src/gateway.js';
import { configFor, hello, onCleanup, startMocks } from '../support/engine.js';
import { axeViolations, chromiumInstalled, chromiumRequired, launchChromium } from './browser.js';

// Browser globals of the functions evaluated in the page (the project compiles without the DOM lib).
declare const document: {
  querySelector(selector: string): { textContent: string | null } | null;
  querySelectorAll(selector: string): ArrayLike<{ tagName: string; offsetParent: unknown }>;
  documentElement: { scrollWidth: number };
};
declare const sessionStorage: {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
};

const KEY = 'dashboard-test-key-123';
const WAIT = { timeout: 5_000 };

let browser: Browser;
beforeAll(async () => {
  if (chromiumInstalled || chromiumRequired) browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

async function setup(options: { key?: boolean; ledger?: boolean } = {}) {
  const { mocks, close } = await startMocks({ a: {}, b: {} });
  onCleanup(close);
  const dir = mkdtempSync(join(tmpdir(), 'sb-dashboard-'));
  onCleanup(() => rmSync(dir, { recursive: true, force: true }));
  const config = configFor(mocks, {
    retry: { max_retries: 0 },
    circuit_breaker: { failure_threshold: 2, window_ms: 60_000, cooldown_ms: 60_000 },
    server: { api_keys: options.key === false ? [] : [KEY] },
    ledger: options.ledger === false ? 'off' : { path: join(dir, 'ledger.db') },
  });
  const gateway = await startGateway(config, { logger: false, port: 0 });
  onCleanup(() => gateway.close(1_000));
  const auth: Record<string, string> = options.key === false ? {} : { authorization: `Bearer ${KEY}` };
  const chat = (n: number) =>
    Promise.all(
      Array.from({ length: n }, () =>
        fetch(`${gateway.url}/v1/chat/completions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...auth },
          body: JSON.stringify(hello('main')),
        }).then((r) => r.text()),
      ),
    );
  return { gateway, mocks, chat };
}

/** A page that records every request URL and every console error or uncaught exception. */
async function openPage(options: { viewport?: { width: number; height: number }; key?: string } = {}) {
  const context: BrowserContext = await browser.newContext({
    viewport: options.viewport ?? { width: 1280, height: 900 },
  });
  onCleanup(() => context.close());
  if (options.key) {
    const key = options.key;
    await context.addInitScript((k) => sessionStorage.setItem('switchboard.apiKey', k), key);
  }
  const page: Page = await context.newPage();
  const urls: string[] = [];
  const errors: string[] = [];
  page.on('request', (r) => urls.push(r.url()));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  return { page, urls, errors };
}

describe.runIf(chromiumInstalled || chromiumRequired)('the dashboard in a real browser', () => {
  it('asks for the key, refuses a wrong one, and loads with the right one, never putting it in a URL', async () => {
    const { gateway } = await setup();
    // The data itself is behind the key.
    expect((await fetch(`${gateway.url}/dashboard/data`)).status).toBe(401);
    const { page, urls, errors } = await openPage();
    await page.goto(`${gateway.url}/dashboard`);
    await page.waitForSelector('#auth:not([hidden])', WAIT);
    expect(await page.locator('#content').isHidden()).toBe(true);
    expect(await page.locator('[data-model]').count()).toBe(0);
    expect(await page.getByLabel('Gateway API key').getAttribute('type')).toBe('password');

    await page.getByLabel('Gateway API key').fill('not-the-key');
    await page.getByLabel('Gateway API key').press('Enter');
    await page.waitForFunction(
      () => document.querySelector('#auth-error')?.textContent?.includes('refused'),
      null,
      WAIT,
    );
    expect(await page.locator('[data-model]').count()).toBe(0);

    await page.getByLabel('Gateway API key').fill(KEY);
    await page.getByLabel('Gateway API key').press('Enter');
    await page.waitForSelector('[data-model="a"][data-state="closed"]', WAIT);
    await page.waitForSelector('[data-route="main"]', WAIT);
    expect(await page.evaluate(() => sessionStorage.getItem('switchboard.apiKey'))).toBe(KEY);
    // Every request went to the gateway, none carried the key in its URL.
    expect(urls.length).toBeGreaterThan(3);
    for (const url of urls) {
      expect(url.startsWith(`${gateway.url}/`)).toBe(true);
      expect(url).not.toContain(KEY);
    }
    // The two refusals are the only errors the browser saw.
    expect(errors.filter((e) => !e.includes('401'))).toEqual([]);
  });

  it("shows a dead model's breaker open, the route answered by the next model, and the fallback in the feed", async () => {
    const { gateway, mocks, chat } = await setup();
    const { page, errors } = await openPage({ key: KEY });
    await page.goto(`${gateway.url}/dashboard`);
    await page.waitForSelector('[data-model="a"][data-state="closed"]', WAIT);
    // The feed is subscribed before the fault, so it sees the fallback.
    await page.waitForFunction(
      () => document.querySelector('#feed-status')?.textContent?.startsWith('Live'),
      null,
      WAIT,
    );

    mocks.a!.setFault('503');
    await chat(3);
    const tile = page.locator('[data-model="a"][data-state="open"]');
    await tile.waitFor(WAIT);
    expect(await tile.locator('.badge').textContent()).toContain('Open');
    expect(await tile.textContent()).toMatch(/Next probe in \d+ (s|min)/);
    expect(await tile.textContent()).toMatch(/Last error: 503 · http_503/);

    await page.waitForSelector('#feed [data-type="fallback"]', WAIT);
    expect(await page.locator('#feed [data-type="fallback"]').first().textContent()).toContain('a → b');
    await page.waitForSelector('#feed [data-type="breaker.transition"]', WAIT);

    await chat(1); // after the breaker opened: a is skipped, b answers
    await page.waitForSelector('[data-route="main"] [data-model="b"][data-role="answered"]', WAIT);
    await page.waitForSelector('[data-route="main"] [data-model="a"][data-role="skipped"]', WAIT);
    expect(await page.locator('[data-route="main"] [data-model="a"]').textContent()).toContain(
      'breaker open',
    );

    await page.waitForSelector('.report-table[data-ledger="on"]', WAIT);
    expect(errors).toEqual([]);
  });

  it('without api_keys shows the data at once; ledger off is said; passes axe at 1280 px and fits 375 px', async () => {
    const { gateway, mocks, chat } = await setup({ key: false, ledger: false });
    const res = await fetch(`${gateway.url}/dashboard`);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(res.headers.get('content-security-policy')).not.toContain('unsafe-inline');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const html = await res.text();
    expect(html).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/); // no inline scripts
    expect(html).not.toMatch(/<style|\sstyle=/); // no inline styles

    mocks.a!.setFault('503');
    await chat(3); // an open badge and a closed one, for the contrast check
    const { page, errors, urls } = await openPage();
    await page.goto(`${gateway.url}/dashboard`);
    await page.waitForSelector('[data-model="a"][data-state="open"]', WAIT);
    await page.waitForSelector('[data-ledger="off"]', WAIT);
    expect(await page.locator('#auth').isHidden()).toBe(true);
    expect(await page.locator('[data-ledger="off"]').textContent()).toContain('Ledger off');

    // Landmarks and headings: one h1, then h2 sections, h3 inside them.
    expect(await page.locator('header').count()).toBe(1);
    expect(await page.locator('main').count()).toBe(1);
    const levels = await page.evaluate(() =>
      Array.from(document.querySelectorAll('h1, h2, h3'))
        .filter((h) => h.offsetParent !== null)
        .map((h) => Number(h.tagName[1])),
    );
    expect(levels[0]).toBe(1);
    for (let i = 1; i < levels.length; i++) expect(levels[i]! - levels[i - 1]!).toBeLessThanOrEqual(1);
    expect(await axeViolations(page)).toEqual([]);

    await page.setViewportSize({ width: 375, height: 800 });
    await page.waitForSelector('[data-model="b"]', WAIT);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    expect(await axeViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    expect(urls.every((u) => u.startsWith(`${gateway.url}/`))).toBe(true);
  });

  it('the auth form is labelled and passes axe too', async () => {
    const { gateway } = await setup();
    const { page } = await openPage();
    await page.goto(`${gateway.url}/dashboard`);
    await page.waitForSelector('#auth:not([hidden])', WAIT);
    expect(await axeViolations(page)).toEqual([]);
  });
});
