import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureConsoleBuilt } from '../../local/console-build.ts';
import { REPO_ROOT } from '../../local/runtime.ts';
import {
  callApiAsConsole,
  eventually,
  launchBrowser,
  openConsole,
  saveScreenshot,
  signInAs,
  visibleText,
} from '../support/browser.ts';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';

/** Issue 20: browsing stock by level, stock over time on a SKU, and "my site" in the dialogs. */
let runtime: TestRuntime;
let browser: Browser;

beforeAll(async () => {
  await ensureConsoleBuilt({ root: REPO_ROOT, log: (m) => console.log(m) });
  runtime = await startTestRuntime();
  browser = await launchBrowser();
  const call = async (method: 'PUT' | 'POST', path: string, body: unknown) => {
    const res = await runtime.api(method, path, { body });
    expect(res.status, `${method} ${path}`).toBeLessThan(300);
  };
  await call('PUT', '/api/locations/DC-EAST', { name: 'East DC', type: 'warehouse' });
  await call('PUT', '/api/locations/STORE-SOHO', { name: 'SoHo store', type: 'store' });
  for (const [sku, name] of [
    ['MUG-CHART', 'Enamel mug'],
    ['TEE-LOW', 'Tee, last few'],
    ['TEE-OK', 'Tee, plenty'],
  ]) {
    await call('PUT', `/api/skus/${sku}`, { name });
  }
  // A known ledger: DC-EAST 20 → 15 → 25, then 4 reserved (available 21); STORE-SOHO 7.
  const adjustments: [string, string, number][] = [
    ['MUG-CHART', 'DC-EAST', 20],
    ['MUG-CHART', 'DC-EAST', -5],
    ['MUG-CHART', 'DC-EAST', 10],
    ['MUG-CHART', 'STORE-SOHO', 7],
    ['TEE-LOW', 'DC-EAST', 3],
    ['TEE-OK', 'DC-EAST', 50],
  ];
  for (const [i, [sku, locationId, delta]] of adjustments.entries()) {
    await call('POST', '/api/inventory/adjustments', {
      sku,
      locationId,
      delta,
      reason: 'opening-balance',
      idempotencyKey: `seed-browse-${i}`,
    });
  }
  await call('POST', '/api/reservations', {
    reservationId: 'browse-hold-1',
    lines: [{ sku: 'MUG-CHART', locationId: 'DC-EAST', quantity: 4 }],
  });
  await runtime.settle();
});

afterAll(async () => {
  await browser?.close();
  await runtime?.stop();
});

const browseRows = async (page: Page) =>
  (await page.getByTestId('stock-browse').locator('tbody tr').allInnerTexts()).map((t) =>
    t.replace(/\s+/g, ' ').trim(),
  );

describe('console: browse, stock over time, my site', () => {
  it('browses stock and narrows it to low stock, with the threshold in the URL', async () => {
    const { context, page, errors } = await openConsole(browser, runtime.url);
    try {
      await signInAs(page, 'warehouse-associate');
      await page.goto('/inventory?tab=browse');
      await eventually(async () => (await browseRows(page)).map((r) => r.split(' ')[0])).toEqual([
        'MUG-CHART',
        'TEE-LOW',
        'TEE-OK',
      ]);
      await page.getByTestId('browse-filter').getByText('Low stock').click();
      await eventually(() => browseRows(page)).toEqual([
        expect.stringMatching(/^TEE-LOW Tee, last few Item 3 3 DC-EAST 3$/),
      ]);
      expect(new URL(page.url()).searchParams.get('filter')).toBe('low');

      await page.getByLabel('Low at or below').fill('30');
      await eventually(async () => (await browseRows(page)).map((r) => r.split(' ')[0])).toEqual([
        'MUG-CHART',
        'TEE-LOW',
      ]);
      expect((await browseRows(page))[0]).toMatch(/MUG-CHART .* 28 32 DC-EAST 21 · STORE-SOHO 7/);
      await saveScreenshot(page, 'inventory-browse-low');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('draws on hand and available over time from the ledger', async () => {
    const { context, page, errors } = await openConsole(browser, runtime.url);
    try {
      await signInAs(page, 'supervisor');
      await page.goto('/inventory/MUG-CHART?tab=history');
      const chart = page.getByTestId('stock-chart');
      await chart.getByText('Data (5 points)').click({ timeout: 20_000 });
      const rows = await chart.getByTestId('stock-chart-points').locator('tbody tr').allInnerTexts();
      // Each row: when, location, on hand, available.
      expect(
        rows.map(
          (r) =>
            r
              .replace(/\s+/g, ' ')
              .trim()
              .match(/\S+ \d+ -?\d+$/)?.[0],
        ),
      ).toEqual(['DC-EAST 20 20', 'DC-EAST 15 15', 'DC-EAST 25 25', 'STORE-SOHO 7 7', 'DC-EAST 25 21']);
      // The chart itself: one line per location and measure, named in its legend.
      await chart.locator('svg[aria-label="Stock over time of MUG-CHART"]').first().waitFor();
      for (const name of [
        'DC-EAST on hand',
        'DC-EAST available',
        'STORE-SOHO on hand',
        'STORE-SOHO available',
      ]) {
        await chart.getByText(name, { exact: true }).first().waitFor();
      }
      await saveScreenshot(page, 'inventory-stock-over-time');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('asks for the location of a move until a site is chosen, then preselects it everywhere', async () => {
    const { context, page, errors } = await openConsole(browser, runtime.url);
    try {
      await signInAs(page, 'inventory-controller');
      await page.goto('/inventory/MUG-CHART');
      await eventually(() => page.getByTestId('total-on-hand').textContent()).toBe('32');

      // No site chosen: nothing is preselected, and the move is refused until one is chosen.
      await page.getByTestId('move-open').click();
      const form = page.getByTestId('move-form');
      await form.waitFor();
      expect(await visibleText(form.getByRole('button', { name: /^Location/ }))).toMatch(
        /Choose the location/,
      );
      await page.getByTestId('move-submit').click();
      await form.getByText('Choose a location').waitFor();
      await page.keyboard.press('Escape');
      await form.waitFor({ state: 'detached' });

      // Choose my site in the top bar.
      await page.getByRole('button', { name: 'Choose my site' }).click();
      await page.getByRole('menuitem', { name: /STORE-SOHO/ }).click();
      await page.getByRole('button', { name: 'My site: STORE-SOHO' }).waitFor();

      await page.getByTestId('move-open').click();
      await form.waitFor();
      expect(await visibleText(form.getByRole('button', { name: /^Location/ }))).toMatch(/STORE-SOHO/);
      await form.getByLabel('Quantity').fill('2');
      await form.getByRole('button', { name: /^Reason/ }).click();
      await page.getByRole('option', { name: /Damage found/ }).click();
      await page.getByTestId('move-submit').click();
      await page.getByText('Moved MUG-CHART at STORE-SOHO').waitFor();

      const stock = await callApiAsConsole(page, 'GET', '/api/inventory/MUG-CHART');
      const byLocation = Object.fromEntries(
        stock.body.positions.map((p: { locationId: string; damaged: number; available: number }) => [
          p.locationId,
          [p.damaged, p.available],
        ]),
      );
      expect(byLocation).toEqual({ 'DC-EAST': [0, 21], 'STORE-SOHO': [2, 5] });

      // The other stock dialogs start at my site as well.
      await page.getByTestId('adjust-open').click();
      const adjust = page.getByTestId('adjust-form');
      expect(await adjust.getByTestId('adjust-location').locator('input').inputValue()).toBe('STORE-SOHO');
      await page.keyboard.press('Escape');
      await adjust.waitFor({ state: 'detached' });

      // The choice is remembered, and the stock browse starts at my site too.
      await page.reload();
      await page.getByRole('button', { name: 'My site: STORE-SOHO' }).waitFor();
      await page.goto('/inventory?tab=browse');
      expect(await visibleText(page.getByTestId('browse-location'))).toMatch(/STORE-SOHO/);
      await eventually(async () => (await browseRows(page)).map((r) => r.split(' ')[0])).toEqual([
        'MUG-CHART',
      ]);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
