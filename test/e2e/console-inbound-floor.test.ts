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

/**
 * The handheld receiving and putaway screens on a real ASN: scanned with a keyboard-wedge scanner
 * (types the code, presses Enter), closed with its exceptions, then put away by scanning bin labels.
 */
const SITE = 'IN-WH';
const SKU = { sku: 'IN-MUG', barcode: '400000001234' };

let runtime: TestRuntime;
let browser: Browser;

beforeAll(async () => {
  ({ runtime, browser } = await startConsoleRig());
  const ok = (res: { status: number; body: unknown }) =>
    expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
  ok(await runtime.api('PUT', `/api/locations/${SITE}`, { body: { name: 'Inbound DC', type: 'warehouse' } }));
  ok(await runtime.api('PUT', '/api/locations/IN-STORE', { body: { name: 'Store', type: 'store' } }));
  ok(await runtime.api('PUT', `/api/skus/${SKU.sku}`, { body: { name: 'Mug', barcodes: [SKU.barcode] } }));
  ok(
    await runtime.api('PUT', `/api/locations/${SITE}/bins/S-01`, {
      body: { zone: 'S', walkOrder: 1, type: 'bulk', capacity: 50, barcode: 'LBL-S01' },
    }),
  );
  ok(
    await runtime.api('PUT', '/api/suppliers/IN-SUP', {
      body: { name: 'Mugs Inc', leadTimeDays: 5, currency: 'USD' },
    }),
  );
  ok(
    await runtime.api('POST', '/api/purchase-orders', {
      body: {
        poId: 'IN-PO',
        supplierId: 'IN-SUP',
        locationId: SITE,
        expectedAt: '2026-12-20',
        lines: [{ sku: SKU.sku, quantity: 10, unitCost: '3.00' }],
      },
    }),
  );
  ok(
    await runtime.api('POST', '/api/asns', {
      body: { asnId: 'IN-ASN', poId: 'IN-PO', lines: [{ sku: SKU.sku, quantity: 10 }] },
    }),
  );
});

afterAll(() => stopConsoleRig({ runtime, browser }));

async function scan(page: Page, code: string) {
  await page.keyboard.type(code, { delay: 5 });
  await page.keyboard.press('Enter');
}
const message = (page: Page) => visibleText(page.getByTestId('scan-feedback'));
const refusedWith = (page: Page) => page.getByTestId('scan-feedback').getAttribute('data-code');
const received = (page: Page) =>
  page.locator(`[data-testid="receipt-lines"] tr[data-sku="${SKU.sku}"] td`).nth(1).textContent();

describe('console: handheld receiving and putaway', () => {
  it('receives an ASN by scanner, closes it with its exceptions, and puts the units away', async () => {
    const { context, page, errors } = await openConsole(browser, runtime.url, {
      viewport: VIEWPORTS.handheld,
    });
    try {
      await signInAs(page, 'warehouse-associate');
      await page.goto('/warehouse/receive');
      await page.getByTestId('asn-input').waitFor();
      await scan(page, 'IN-ASN');
      await page.waitForURL(/asn=IN-ASN/);
      await page.getByTestId('receipt-lines').waitFor();
      expect(await received(page)).toBe('0');

      // One unit by its barcode, then a case of 9 (the quantity field, then back to the scan field).
      await page.getByTestId('scan-input').locator('input').click();
      await scan(page, SKU.barcode);
      await eventually(() => received(page)).toBe('1');
      await page.getByTestId('scan-quantity').fill('9');
      await page.getByTestId('scan-input').locator('input').click();
      await scan(page, SKU.barcode);
      await eventually(() => received(page)).toBe('10');
      expect(await message(page)).toContain('10 of 10');

      // Something not on the ASN is refused, shown big, and kept as an exception.
      await page.getByTestId('scan-quantity').fill('1');
      await page.getByTestId('scan-input').locator('input').click();
      await scan(page, 'STRAY-BOX');
      await eventually(() => refusedWith(page)).toBe('NOT_ON_ASN');
      expect(await message(page)).toContain('not on this ASN');

      await page.getByTestId('close-receipt').click();
      await page.getByTestId('receipt-closed').waitFor();
      expect(await visibleText(page.getByTestId('receipt-exceptions'))).toContain('STRAY-BOX: 1 wrong SKU');
      await saveScreenshot(page, 'warehouse-receive');

      // Putaway: two tasks (one per good scan), each to the suggested bin by its label.
      await page.goto('/warehouse/putaway');
      await page.getByTestId('putaway-site').selectOption(SITE);
      await page.getByTestId('putaway-current').waitFor();
      expect(await page.getByTestId('putaway-bin').textContent()).toBe('S-01');
      expect(await page.getByTestId('putaway-sku').textContent()).toBe(`1 × ${SKU.sku}`);
      await page.getByTestId('scan-input').locator('input').click();
      await scan(page, 'LBL-S01');
      await eventually(() => page.getByTestId('putaway-sku').textContent()).toBe(`9 × ${SKU.sku}`);
      expect(await message(page)).toContain('dock to stock');
      await scan(page, 'NO-SUCH-BIN');
      await eventually(() => refusedWith(page)).toBe('UNKNOWN_BIN');
      await scan(page, 'LBL-S01');
      await page.getByTestId('putaway-done').waitFor();
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
    const bins = (await runtime.api('GET', `/api/locations/${SITE}/bins`)).body.items;
    expect(bins.find((b: { binId: string }) => b.binId === 'S-01').contents).toEqual([
      { sku: SKU.sku, quantity: 10 },
    ]);
    const report = await runtime.api('GET', '/api/receipts/IN-ASN');
    expect(report.body).toMatchObject({ status: 'closed', putaway: { tasks: 2, done: 2 } });
    expect(report.body.dockToStockSeconds).toEqual(expect.any(Number));
  });

  it('places a PO and moves stock by transfer from the desk: create, ship, receive with a variance', async () => {
    const { context, page, errors } = await openConsole(browser, runtime.url);
    try {
      await signInAs(page, 'admin');
      // The received PO shows its receipt: closed, all put away, with its dock-to-stock.
      await page.goto('/purchasing/IN-PO');
      const receipt = page.getByTestId('po-receipts').locator('tbody tr').filter({ hasText: 'IN-ASN' });
      await eventually(() => visibleText(receipt)).toMatch(
        /IN-ASN\s+Closed\s+10 of 10\s+1 wrong_sku STRAY-BOX\s+2 of 2 tasks\s+\d+ (s|min)/,
      );
      await page.goto('/purchasing');
      await page.getByTestId('new-po').click();
      await page.getByTestId('po-form').waitFor();
      await page.getByLabel('PO number', { exact: true }).fill('IN-PO-DESK');
      await page.getByTestId('po-supplier').click();
      await page.getByRole('option', { name: /Mugs Inc/ }).click();
      await page.getByLabel('Location', { exact: true }).fill(SITE);
      await page.getByLabel('Expected day', { exact: true }).fill('2026-12-28');
      await page.getByLabel('Lines', { exact: true }).fill(`${SKU.sku} 24 3.10`);
      await page.getByTestId('place-po').click();
      await page.waitForURL(/\/purchasing\/IN-PO-DESK$/);
      const po = await runtime.api('GET', '/api/purchase-orders/IN-PO-DESK');
      expect(po.body).toMatchObject({ status: 'open', lines: [{ sku: SKU.sku, quantity: 24, received: 0 }] });

      await page.goto('/purchasing/transfers');
      await page.getByTestId('new-transfer').click();
      await page.getByTestId('transfer-form').waitFor();
      await page.getByLabel('Transfer id', { exact: true }).fill('IN-TR-1');
      await page.getByLabel('From location', { exact: true }).fill(SITE);
      await page.getByLabel('To location', { exact: true }).fill('IN-STORE');
      await page.getByLabel('Expected day', { exact: true }).fill('2026-12-26');
      await page.getByLabel('Lines', { exact: true }).fill(`${SKU.sku} 4`);
      await page.getByTestId('create-transfer').click();
      const row = page.getByTestId('transfers-table').locator('tbody tr').filter({ hasText: 'IN-TR-1' });
      await row.waitFor();
      await row.locator('input[type="radio"]').check({ force: true });
      await page.getByTestId('ship-transfer').click();
      await page.getByText('Transfer IN-TR-1 shipped').waitFor();

      await page.getByRole('button', { name: 'Status' }).click();
      await page.getByRole('option', { name: 'In transit' }).click();
      await row.waitFor();
      await row.locator('input[type="radio"]').check({ force: true });
      await page.getByTestId('receive-transfer').click();
      await page.getByLabel(`${SKU.sku} received`, { exact: true }).fill('3');
      await page.getByTestId('confirm-receive-transfer').click();
      await page.getByText('Transfer IN-TR-1 received').waitFor();
      expect(await visibleText(page.getByText('Variances: 1 short of IN-MUG').first())).toContain('1 short');
      await saveScreenshot(page, 'purchasing-transfers');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
    const transfer = await runtime.api('GET', '/api/transfers/IN-TR-1');
    expect(transfer.body).toMatchObject({
      status: 'received',
      variances: [{ sku: SKU.sku, shipped: 4, received: 3, variance: -1 }],
    });
    const stock = await runtime.api('GET', `/api/inventory/${SKU.sku}`);
    const at = (id: string) => stock.body.positions.find((p: { locationId: string }) => p.locationId === id);
    expect(at(SITE)).toMatchObject({ onHand: 6, inTransit: 0 });
    expect(at('IN-STORE')).toMatchObject({ onHand: 3, inTransit: 0 });
  });
});
