import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureConsoleBuilt } from '../../local/console-build.ts';
import { REPO_ROOT } from '../../local/runtime.ts';
import { launchBrowser, openConsole, saveScreenshot, signInAs } from '../support/browser.ts';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';

const DIST = path.join(REPO_ROOT, 'console', 'dist');
/** The Lighthouse-style budget for what a scanner on a warehouse Wi-Fi downloads first. */
const INITIAL_JS_BUDGET_BYTES = 500 * 1024;

let runtime: TestRuntime;
let browser: Browser;

beforeAll(async () => {
  await ensureConsoleBuilt({ root: REPO_ROOT });
  runtime = await startTestRuntime();
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await runtime?.stop();
});

describe('console: main screens and budget', () => {
  it('keeps the initial JavaScript under 500 kB gzipped', async () => {
    const html = await readFile(path.join(DIST, 'index.html'), 'utf8');
    // The entry script and everything the browser preloads with it; screens load lazily after.
    const initial = [
      ...html.matchAll(/<(?:script[^>]*\ssrc|link[^>]*rel="modulepreload"[^>]*\shref)="([^"]+\.js)"/g),
    ].map((m) => m[1] as string);
    expect(initial.length).toBeGreaterThan(0);
    let gzipped = 0;
    for (const file of initial) gzipped += gzipSync(await readFile(path.join(DIST, file))).length;
    expect(gzipped).toBeLessThan(INITIAL_JS_BUDGET_BYTES);
  });

  it.each([
    ['overview', '/', 'Overview'],
    ['inventory', '/inventory', 'Inventory'],
    ['orders', '/orders', 'Orders'],
    ['intake-exceptions', '/intake', 'Intake exceptions'],
    ['warehouse-waves', '/warehouse', 'Waves'],
    ['warehouse-pack', '/warehouse/pack', 'Pack'],
    ['finance', '/finance', 'Finance'],
    ['kpis', '/kpis', 'KPIs'],
    ['alerts', '/alerts', 'Alerts'],
    ['settings', '/settings', 'Settings'],
    ['audit', '/audit', 'Audit trail'],
  ])('renders the %s screen for an admin and saves a screenshot', async (name, route, heading) => {
    const { context, page, errors } = await openConsole(browser, runtime.url);
    try {
      await signInAs(page, 'admin');
      await page.goto(route);
      await page
        .getByRole('heading', { name: new RegExp(heading) })
        .first()
        .waitFor();
      await saveScreenshot(page, `screen-${name}`);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
