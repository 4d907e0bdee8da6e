import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { type Browser, type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';
import { expect } from 'vitest';
import type { Role } from '../../lib/manifest/types.ts';
import { ensureConsoleBuilt } from '../../local/console-build.ts';
import { REPO_ROOT } from '../../local/runtime.ts';
import { startTestRuntime, type TestRuntime } from './runtime.ts';

/** Debian's Chromium (`apt-get install chromium`); never a browser downloaded by Playwright. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-quic',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
];

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

/** What a console test drives: the local runtime serving the built console, and a browser. */
export interface ConsoleRig {
  runtime: TestRuntime;
  browser: Browser;
}

/** Builds the console if its sources changed, then starts the local runtime and Chromium. */
export async function startConsoleRig(): Promise<ConsoleRig> {
  await ensureConsoleBuilt({ root: REPO_ROOT, log: (m) => console.log(m) });
  const runtime = await startTestRuntime();
  try {
    return { runtime, browser: await launchBrowser() };
  } catch (error) {
    await runtime.stop();
    throw error;
  }
}

/** Closes what startConsoleRig opened (either is missing when the start failed). */
export async function stopConsoleRig(rig: Partial<ConsoleRig>): Promise<void> {
  await rig.browser?.close();
  await rig.runtime?.stop();
}

export interface ConsolePage {
  context: BrowserContext;
  page: Page;
  /** Uncaught exceptions and console errors seen so far (a healthy screen has none). */
  errors: string[];
}

/** Viewports the console is used at: a desk monitor and a handheld scanner. */
export const VIEWPORTS = {
  desk: { width: 1440, height: 900 },
  handheld: { width: 412, height: 860 },
} as const;

/**
 * A fresh browser context (own storage, so sessions never leak between roles) with the
 * console's origin as base URL. Requests leaving localhost are refused: tests run offline.
 */
export async function openConsole(
  browser: Browser,
  baseURL: string,
  options: { viewport?: { width: number; height: number }; colorScheme?: 'light' | 'dark' } = {},
): Promise<ConsolePage> {
  const context = await browser.newContext({
    baseURL,
    viewport: options.viewport ?? VIEWPORTS.desk,
    colorScheme: options.colorScheme ?? 'light',
  });
  await context.route(/^https?:\/\/(?!localhost|127\.0\.0\.1)/, (route) => route.abort());
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    // Refused API calls (401/403/404) are logged by the browser as failed resources: expected.
    if (message.type() === 'error' && !/Failed to load resource/.test(message.text())) {
      errors.push(`console: ${message.text()}`);
    }
  });
  return { context, page, errors };
}

/**
 * Signs in through the console's own sign-in screen (the local identity provider), as a
 * person would: pick the role, optionally a name, press Sign in. Resolves on the signed-in shell.
 */
export async function signInAs(page: Page, role: Role, options: { username?: string; next?: string } = {}) {
  await page.goto(options.next ? `/signin?next=${encodeURIComponent(options.next)}` : '/signin');
  const form = page.getByTestId('local-signin');
  await form.locator(`input[type="radio"][value="${role}"]`).check({ force: true });
  if (options.username) await form.locator('input:not([type="radio"])').fill(options.username);
  await page.getByTestId('signin-submit').click();
  // The desk shell (on a handheld its navigation is a closed drawer: present, not visible), or the
  // scanner frame when `next` is a scanner screen.
  await page
    .locator('[data-testid="side-nav"], [data-testid="scanner-bar"]')
    .first()
    .waitFor({ state: 'attached' });
}

/** The ID token the console holds for the signed-in user (local mode keeps it in localStorage). */
/** Calls the API from inside the page with the console's own token, as the console would. */
export function callApiAsConsole(
  page: Page,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: any }> {
  return page.evaluate(
    async ({ method, path, body }) => {
      const token = localStorage.getItem('qm.local.idToken');
      const res = await fetch(path, {
        method,
        headers: {
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : undefined };
    },
    { method, path, body },
  );
}

/** Texts of the side navigation's links (its items, not its header), in order. */
export async function navItems(page: Page): Promise<string[]> {
  const texts = await page.getByTestId('side-nav').locator('li a').allInnerTexts();
  return texts.map((t) => t.trim()).filter(Boolean);
}

/**
 * `expect.poll` with a timeout fit for a browser driving a lazily loaded app against a real
 * runtime (vitest's default is 1 s).
 */
export function eventually<T>(read: () => T | Promise<T>) {
  return expect.poll(read, { timeout: 15_000, interval: 100 });
}

/** Text as rendered (Playwright's innerText): table cells keep the spacing between them. */
export function visibleText(locator: Locator): Promise<string> {
  return locator.innerText();
}

/** Where browser tests leave screenshots as artifacts (git-ignored; CI keeps the work tree). */
export const SCREENSHOT_DIR = path.resolve(import.meta.dirname, '../../test-results/screenshots');

/** Saves a full-page screenshot as `test-results/screenshots/<name>.png` and returns its path. */
export async function saveScreenshot(page: Page, name: string): Promise<string> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
