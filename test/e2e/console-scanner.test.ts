import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureConsoleBuilt } from '../../local/console-build.ts';
import { REPO_ROOT } from '../../local/runtime.ts';
import {
  eventually,
  launchBrowser,
  openConsole,
  saveScreenshot,
  signInAs,
  VIEWPORTS,
  visibleText,
} from '../support/browser.ts';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';

const LINES = [
  { lineId: '1', sku: 'MUG-01', name: 'Enamel mug', bin: 'A-01-1', barcodes: ['0012345678905'], quantity: 2 },
  {
    lineId: '2',
    sku: 'TEE-M',
    name: 'T-shirt, medium',
    bin: 'B-04-2',
    barcodes: ['0098765432109'],
    quantity: 1,
  },
];
const harnessUrl = `/warehouse/pick/harness?lines=${Buffer.from(JSON.stringify(LINES)).toString('base64url')}`;

let runtime: TestRuntime;
let browser: Browser;

beforeAll(async () => {
  await ensureConsoleBuilt({ root: REPO_ROOT, log: (m) => console.log(m) });
  runtime = await startTestRuntime();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await runtime?.stop();
});

/** Records tones and vibrations the page asks for (headless Chromium has no speaker or motor). */
function recordFeedback() {
  const w = window as unknown as { __tones: { type: string; hz: number }[]; __vibrations: unknown[] };
  w.__tones = [];
  w.__vibrations = [];
  const start = OscillatorNode.prototype.start;
  OscillatorNode.prototype.start = function (this: OscillatorNode, ...args: [number?]) {
    w.__tones.push({ type: this.type, hz: this.frequency.value });
    return start.apply(this, args);
  };
  Object.defineProperty(Navigator.prototype, 'vibrate', {
    configurable: true,
    value: (pattern: unknown) => {
      w.__vibrations.push(pattern);
      return true;
    },
  });
}

const feedback = (page: Page) =>
  page.evaluate(() => {
    const w = window as unknown as { __tones: { type: string; hz: number }[]; __vibrations: unknown[] };
    return { tones: w.__tones, vibrations: w.__vibrations };
  });

const scanFieldHasFocus = (page: Page) =>
  page.evaluate(() => !!document.activeElement?.closest('[data-testid="scan-input"]'));

/** A keyboard-wedge scanner: characters then Enter, into whatever element has the focus. */
async function scan(page: Page, code: string) {
  await page.keyboard.type(code, { delay: 5 });
  await page.keyboard.press('Enter');
}

const message = (page: Page) => visibleText(page.getByTestId('scan-feedback'));

describe('console: scanner pick screen', () => {
  it('drives a pick with a keyboard-wedge scanner: focus stays in the scan field, wrong scans buzz', async () => {
    const { context, page, errors } = await openConsole(browser, runtime.url, {
      viewport: VIEWPORTS.handheld,
    });
    try {
      await context.addInitScript(recordFeedback);
      await signInAs(page, 'warehouse-associate');
      await page.goto(harnessUrl);
      await page.getByTestId('pick-current').waitFor();
      expect(await page.getByTestId('pick-bin').textContent()).toBe('A-01-1');
      await eventually(() => scanFieldHasFocus(page)).toBe(true);

      // Big targets for gloved thumbs.
      const field = await page.getByTestId('scan-input').locator('input').boundingBox();
      const shortButton = await page.getByTestId('short-pick').boundingBox();
      expect(field?.height).toBeGreaterThanOrEqual(48);
      expect(shortButton?.height).toBeGreaterThanOrEqual(48);

      // The item before its bin is refused.
      await scan(page, '0012345678905');
      await eventually(() => message(page)).toContain('Scan bin A-01-1 first');

      await scan(page, 'A-01-1');
      await eventually(() => message(page)).toContain('Bin A-01-1 confirmed');
      expect(await page.locator('[data-scan-state]').getAttribute('data-scan-state')).toBe('ok');

      // A wrong item: error state, low square-wave buzz, vibration; nothing counted; focus kept.
      const before = (await feedback(page)).tones.length;
      await scan(page, '0098765432109');
      await eventually(() => page.locator('[data-scan-state]').getAttribute('data-scan-state')).toBe('error');
      expect(await message(page)).toContain('Wrong item: that is TEE-M. This line needs MUG-01.');
      const { tones, vibrations } = await feedback(page);
      expect(tones.slice(before).some((t) => t.type === 'square' && t.hz < 300)).toBe(true);
      expect(vibrations).toContainEqual([120, 60, 120]);
      expect(await page.getByTestId('pick-progress').textContent()).toContain('0 of 2');
      expect(await scanFieldHasFocus(page)).toBe(true);
      expect(await page.getByTestId('scan-input').locator('input').inputValue()).toBe('');

      // Tapping elsewhere does not lose the scanner: the field takes the focus back.
      await page.getByTestId('pick-sku').click();
      await eventually(() => scanFieldHasFocus(page)).toBe(true);

      await scan(page, '0012345678905');
      await eventually(() => page.getByTestId('pick-progress').textContent()).toContain('1 of 2');
      await scan(page, 'mug-01'); // the SKU code itself, any case, also identifies the item
      await eventually(() => page.getByTestId('pick-bin').textContent()).toBe('B-04-2');
      expect(await message(page)).toContain('MUG-01 complete. Next: bin B-04-2.');
      await saveScreenshot(page, 'warehouse-pick');

      // A dialog keeps the focus while it is open; the scan field gets it back after.
      await page.getByTestId('short-pick').click();
      await page.getByText('Confirm short pick').waitFor();
      await page.waitForTimeout(100);
      expect(await scanFieldHasFocus(page)).toBe(false);
      await page.getByTestId('confirm-short').click();
      await page.getByTestId('pick-complete').waitFor();
      expect(await page.getByTestId('pick-outcome').textContent()).toContain(
        'MUG-01: 2 picked; TEE-M: 0 picked, 1 short',
      );
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('says pick tasks are not part of this deployment instead of inventing a list', async () => {
    const { context, page, errors } = await openConsole(browser, runtime.url, {
      viewport: VIEWPORTS.handheld,
    });
    try {
      await signInAs(page, 'warehouse-associate');
      await page.goto('/warehouse/pick');
      // The manifest declares no pick-task route yet, so the screen says so (from its absence).
      await page.getByTestId('not-available').waitFor();
      expect(await page.getByTestId('not-available').textContent()).toContain(
        'POST /api/pick-tasks/{taskId}/complete is not part of this deployment',
      );
      expect(await page.getByTestId('pick-harness-link').count()).toBe(1);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
