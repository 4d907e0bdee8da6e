import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  eventually,
  openConsole,
  saveScreenshot,
  signInAs,
  startConsoleRig,
  stopConsoleRig,
  VIEWPORTS,
  visibleText,
} from '../support/browser.ts';
import type { TestRuntime } from '../support/runtime.ts';
import { awaitReleased, openFloor } from '../support/warehouse-floor.ts';
import { putChannel, sendOrder } from '../workflows/order-release-helpers.ts';

/**
 * The handheld pick screen on a real wave: an order released to a warehouse, waved through the
 * API, picked on the screen with a keyboard-wedge scanner (types the code, presses Enter).
 */
const SITE = 'SCN-WH';
// openFloor gives SKU i the barcode `0000000${i}1234` and splits its stock over two bins.
const MUG = { sku: 'SCN-MUG', barcode: '000000001234' };
const TEE = { sku: 'SCN-TEE', barcode: '000000011234' };

let runtime: TestRuntime;
let browser: Browser;
let waveId: string;

beforeAll(async () => {
  ({ runtime, browser } = await startConsoleRig());
  await openFloor(runtime, {
    site: SITE,
    timeZone: 'UTC',
    skus: [MUG.sku, TEE.sku],
    bins: [
      { binId: 'A-01-1', zone: 'A', walkOrder: 10 },
      { binId: 'B-04-2', zone: 'B', walkOrder: 20 },
    ],
    unitsPerSku: 10,
    cutoffHours: { express: 3, ground: 5 },
  });
  await putChannel(runtime, 'scanner-shop', { locationIds: [SITE] });
  await sendOrder(runtime, 'scanner-shop', {
    externalId: 'SCN-1',
    lines: [
      { sku: MUG.sku, quantity: 2 },
      { sku: TEE.sku, quantity: 1 },
    ],
  });
  await awaitReleased(runtime, SITE, 1);
  const wave = await runtime.api('POST', '/api/waves', { role: 'supervisor', body: { locationId: SITE } });
  expect(wave.status, JSON.stringify(wave.body)).toBe(201);
  waveId = wave.body.waveId;
});

afterAll(() => stopConsoleRig({ runtime, browser }));

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

const hasFocus = (page: Page, testId: string) =>
  page.evaluate((id) => !!document.activeElement?.closest(`[data-testid="${id}"]`), testId);

/** A keyboard-wedge scanner: characters then Enter, into whatever element has the focus. */
async function scan(page: Page, code: string) {
  await page.keyboard.type(code, { delay: 5 });
  await page.keyboard.press('Enter');
}

const message = (page: Page) => visibleText(page.getByTestId('scan-feedback'));
const refusedWith = (page: Page) => page.getByTestId('scan-feedback').getAttribute('data-code');
const scanState = (page: Page) => page.locator('[data-scan-state]').first().getAttribute('data-scan-state');
const left = (page: Page) => page.getByTestId('pick-left').textContent();

describe('console: scanner pick screen', () => {
  it('picks a real wave with a keyboard-wedge scanner: bin first, refusals buzz, short by keyboard', async () => {
    const { context, page, errors } = await openConsole(browser, runtime.url, {
      viewport: VIEWPORTS.handheld,
    });
    try {
      await context.addInitScript(recordFeedback);
      await signInAs(page, 'warehouse-associate');
      await page.goto('/warehouse/pick');

      // Choose the wave: open waves of my site, or scan the wave id (the field has the focus).
      await page.getByTestId('pick-site').selectOption(SITE);
      await page.getByTestId(`wave-${waveId}`).waitFor();
      await eventually(() => hasFocus(page, 'wave-input')).toBe(true);
      await scan(page, waveId);
      await page.waitForURL(new RegExp(`wave=${encodeURIComponent(waveId)}`));

      // The first task in walk order, in very large type.
      await page.getByTestId('pick-current').waitFor();
      expect(await page.getByTestId('pick-bin').textContent()).toBe('A-01-1');
      expect(await page.getByTestId('pick-sku').textContent()).toBe(MUG.sku);
      expect(await left(page)).toBe('2');
      await eventually(() => hasFocus(page, 'scan-input')).toBe(true);
      const field = await page.getByTestId('scan-input').locator('input').boundingBox();
      const shortButton = await page.getByTestId('short-pick').boundingBox();
      expect(field?.height).toBeGreaterThanOrEqual(48);
      expect(shortButton?.height).toBeGreaterThanOrEqual(48);

      // The item before its bin, then another bin: refused by the API, shown big, buzzed.
      await scan(page, MUG.barcode);
      await eventually(() => refusedWith(page)).toBe('SCAN_BIN_FIRST');
      expect(await message(page)).toContain('Scan bin A-01-1 first');
      expect(await scanState(page)).toBe('error');
      const { tones, vibrations } = await feedback(page);
      expect(tones.some((t) => t.type === 'square' && t.hz < 300)).toBe(true);
      expect(vibrations).toContainEqual([120, 60, 120]);
      await scan(page, 'B-04-2');
      await eventually(() => refusedWith(page)).toBe('WRONG_BIN');

      await scan(page, 'A-01-1');
      await eventually(() => message(page)).toContain('Bin A-01-1 confirmed');
      expect(await scanState(page)).toBe('ok');

      // A wrong item changes nothing; the field stays empty and focused.
      await scan(page, TEE.barcode);
      await eventually(() => refusedWith(page)).toBe('WRONG_ITEM');
      expect(await left(page)).toBe('2');
      expect(await hasFocus(page, 'scan-input')).toBe(true);
      expect(await page.getByTestId('scan-input').locator('input').inputValue()).toBe('');

      // Tapping elsewhere does not lose the scanner: the field takes the focus back.
      await page.getByTestId('pick-sku').click();
      await eventually(() => hasFocus(page, 'scan-input')).toBe(true);

      await scan(page, MUG.barcode);
      await eventually(() => left(page)).toBe('1');
      await scan(page, MUG.sku); // the SKU code itself also identifies the unit
      // Done: the next task comes by itself.
      await eventually(() => page.getByTestId('pick-sku').textContent()).toBe(TEE.sku);
      expect(await message(page)).toContain(`${MUG.sku} complete`);
      await saveScreenshot(page, 'warehouse-pick');

      // Short by keyboard: F2 opens the dialog (which takes the focus), Enter confirms 0 found.
      await page.keyboard.press('F2');
      await page.getByTestId('short-form').waitFor();
      await eventually(() => hasFocus(page, 'short-found')).toBe(true);
      await page.keyboard.press('Enter');
      await page.getByTestId('wave-done').waitFor();
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }

    // What the API recorded: every unit of the first task, the second task short.
    const wave = await runtime.api('GET', `/api/waves/${waveId}`);
    expect(wave.status).toBe(200);
    const bySku = Object.fromEntries(wave.body.tasks.map((t: any) => [t.sku, t]));
    expect(bySku[MUG.sku]).toMatchObject({ status: 'done', pickedQuantity: 2, quantity: 2 });
    expect(bySku[TEE.sku]).toMatchObject({ status: 'short', pickedQuantity: 0 });
  });

  it('keeps roles that may not pick out of the pick screen', async () => {
    const { context, page, errors } = await openConsole(browser, runtime.url, {
      viewport: VIEWPORTS.handheld,
    });
    try {
      await signInAs(page, 'customer-service');
      await page.goto(`/warehouse/pick?wave=${encodeURIComponent(waveId)}`);
      await page.getByTestId('no-access').waitFor();
      expect(await page.getByTestId('scan-input').count()).toBe(0);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
