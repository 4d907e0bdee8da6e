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

const BARCODE = '0012345678905';

let runtime: TestRuntime;
let browser: Browser;

beforeAll(async () => {
  await ensureConsoleBuilt({ root: REPO_ROOT, log: (m) => console.log(m) });
  runtime = await startTestRuntime();
  browser = await launchBrowser();
  const seed = [
    await runtime.api('PUT', '/api/locations/DC-EAST', { body: { name: 'East DC', type: 'warehouse' } }),
    await runtime.api('PUT', '/api/locations/STORE-SOHO', { body: { name: 'SoHo store', type: 'store' } }),
    await runtime.api('PUT', '/api/skus/MUG-01', {
      body: { name: 'Enamel mug, 350 ml', barcodes: [BARCODE] },
    }),
    await runtime.api('POST', '/api/inventory/adjustments', {
      body: {
        sku: 'MUG-01',
        locationId: 'DC-EAST',
        delta: 40,
        reason: 'opening-balance',
        idempotencyKey: 'seed-mug-east',
      },
    }),
    await runtime.api('POST', '/api/inventory/adjustments', {
      body: {
        sku: 'MUG-01',
        locationId: 'STORE-SOHO',
        delta: 12,
        reason: 'opening-balance',
        idempotencyKey: 'seed-mug-soho',
      },
    }),
  ];
  expect(seed.map((r) => r.status)).toEqual([201, 201, 201, 201, 201]);
  await runtime.settle();
});

afterAll(async () => {
  await browser?.close();
  await runtime?.stop();
});

/** The search box takes the focus as the screen opens, so a scan needs no tap first. */
async function searchHasFocus(page: Page) {
  await eventually(() =>
    page.evaluate(() => !!document.activeElement?.closest('[data-testid="sku-search"]')),
  ).toBe(true);
}

/** A keyboard-wedge scanner types the code and presses Enter into whatever has the focus. */
async function scan(page: Page, code: string) {
  await page.keyboard.type(code, { delay: 5 });
  await page.keyboard.press('Enter');
}

function positionRow(page: Page, locationId: string) {
  return page.getByTestId('positions-table').locator('tbody tr').filter({ hasText: locationId });
}

describe('console: inventory', () => {
  it('finds a SKU by scanning its barcode into the search box', async () => {
    const { context, page, errors } = await openConsole(browser, runtime.url);
    try {
      await signInAs(page, 'warehouse-associate');
      await page.goto('/inventory');
      await searchHasFocus(page);
      await scan(page, BARCODE);

      await page.waitForURL(/\/inventory\/MUG-01$/);
      await eventually(() => page.getByTestId('sku-title').textContent()).toBe('Enamel mug, 350 ml');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('adjusts stock with a reason code, and shows the new position and the ledger entry', async () => {
    const { context, page, errors } = await openConsole(browser, runtime.url);
    try {
      await signInAs(page, 'inventory-controller');
      await page.goto('/inventory/MUG-01');
      await eventually(() => page.getByTestId('total-on-hand').textContent()).toBe('52');
      expect(await visibleText(positionRow(page, 'DC-EAST'))).toMatch(/DC-EAST\s+40\s+40\b/);

      await page.getByTestId('adjust-open').click();
      const modal = page.getByTestId('adjust-form');
      await modal.waitFor();
      expect(await modal.getByTestId('adjust-location').locator('input').inputValue()).toBe('DC-EAST');
      await modal.getByTestId('adjust-quantity').locator('input').fill('5');
      await modal.getByTestId('adjust-reason').click();
      await page.getByRole('option', { name: /Cycle count correction/ }).click();
      await modal.getByLabel('Note').fill('shelf B3 recount');
      await modal.getByText('40 → 45').first().waitFor();
      await page.getByTestId('adjust-submit').click();

      await page.getByText('Adjusted MUG-01 at DC-EAST').waitFor();
      await eventually(() => page.getByTestId('total-on-hand').textContent()).toBe('57');
      await eventually(() => visibleText(positionRow(page, 'DC-EAST'))).toMatch(/DC-EAST\s+45\s+45\b/);
      await saveScreenshot(page, 'inventory-sku');

      await page.getByRole('tab', { name: 'Ledger' }).click();
      expect(new URL(page.url()).searchParams.get('tab')).toBe('ledger');
      const entry = page
        .getByTestId('ledger-table')
        .locator('tbody tr')
        .filter({ hasText: 'Cycle count correction — shelf B3 recount' });
      // The ledger (or, before it is served, the event journal) follows the position within seconds.
      await entry.first().waitFor({ timeout: 20_000 });
      expect(await visibleText(entry.first())).toMatch(/DC-EAST[\s\S]*\+5[\s\S]*local-inventory-controller/);
      await saveScreenshot(page, 'inventory-ledger');

      // What the API holds agrees with the screen.
      const stock = await callApiAsConsole(page, 'GET', '/api/inventory/MUG-01');
      expect(
        stock.body.positions.find((p: { locationId: string }) => p.locationId === 'DC-EAST'),
      ).toMatchObject({
        onHand: 45,
        available: 45,
      });

      // A supervisor finds the adjustment in the audit trail, with who made it.
      const supervisor = await openConsole(browser, runtime.url);
      await signInAs(supervisor.page, 'supervisor');
      await supervisor.page.goto('/audit?actor=local-inventory-controller');
      const audited = supervisor.page
        .getByTestId('audit-table')
        .locator('tbody tr')
        .filter({ hasText: 'Adjusted stock' });
      await audited.first().waitFor({ timeout: 20_000 });
      expect(await visibleText(audited.first())).toMatch(/local-inventory-controller/);
      await saveScreenshot(supervisor.page, 'audit-trail');
      expect(supervisor.errors).toEqual([]);
      await supervisor.context.close();
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('shows an API refusal in the dialog and moves nothing', async () => {
    const { context, page, errors } = await openConsole(browser, runtime.url);
    try {
      await signInAs(page, 'supervisor');
      await page.goto('/inventory/MUG-01');
      await eventually(() => visibleText(positionRow(page, 'STORE-SOHO'))).toMatch(/STORE-SOHO\s+12\s+12\b/);
      await page.getByTestId('adjust-open').click();
      const modal = page.getByTestId('adjust-form');
      // A location the API does not know: the console cannot tell, the API refuses.
      await modal.getByTestId('adjust-location').locator('input').fill('NO-SUCH-DC');
      await page.keyboard.press('Escape');
      await modal.getByTestId('adjust-quantity').locator('input').fill('3');
      await modal.getByTestId('adjust-reason').click();
      await page.getByRole('option', { name: /Found stock/ }).click();
      await page.getByTestId('adjust-submit').click();

      const alert = modal.getByTestId('api-error');
      await alert.waitFor();
      expect(await visibleText(alert)).toMatch(/Could not adjust the stock[\s\S]*correlation id/);
      expect(await page.getByTestId('total-on-hand').textContent()).toBe('57');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('offers adjustments only to roles that may make them', async () => {
    const { context, page } = await openConsole(browser, runtime.url);
    try {
      await signInAs(page, 'finance');
      await page.goto('/inventory/MUG-01');
      await eventually(() => page.getByTestId('total-on-hand').textContent()).toBe('57');
      expect(await page.getByTestId('adjust-open').count()).toBe(0);
      const refused = await callApiAsConsole(page, 'POST', '/api/inventory/adjustments', {
        sku: 'MUG-01',
        locationId: 'DC-EAST',
        delta: 1,
        reason: 'found',
        idempotencyKey: 'finance-tries-1',
      });
      expect(refused.status).toBe(403);
    } finally {
      await context.close();
    }
  });
});
