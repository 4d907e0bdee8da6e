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
 * A blind cycle count on the handheld screen with a keyboard-wedge scanner, then the supervisor's
 * approval of the difference beyond tolerance on the desk's approval queue.
 */
const SITE = 'CNT-WH';
const MUG = { sku: 'CNT-MUG', barcode: '000000771234' };
const TEE = 'CNT-TEE';
// Distinctive expected quantities: neither may ever appear on the counter's screen.
const MUGS_IN_BIN = 37;
const TEES_IN_BIN = 13;

let runtime: TestRuntime;
let browser: Browser;
let taskId: string;

beforeAll(async () => {
  ({ runtime, browser } = await startConsoleRig());
  const ok = (res: { status: number; body: unknown }) =>
    expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
  ok(await runtime.api('PUT', `/api/locations/${SITE}`, { body: { name: 'Count site', type: 'warehouse' } }));
  ok(await runtime.api('PUT', `/api/skus/${MUG.sku}`, { body: { name: 'Mug', barcodes: [MUG.barcode] } }));
  ok(await runtime.api('PUT', `/api/skus/${TEE}`, { body: { name: 'Tee' } }));
  ok(
    await runtime.api('PUT', `/api/locations/${SITE}/bins/C-01`, {
      role: 'supervisor',
      body: { zone: 'C', walkOrder: 10, type: 'pick', barcode: 'LBL-C-01' },
    }),
  );
  for (const [sku, quantity] of [
    [MUG.sku, MUGS_IN_BIN],
    [TEE, TEES_IN_BIN],
  ] as const)
    ok(
      await runtime.api('POST', '/api/inventory/receipts', {
        body: {
          sku,
          locationId: SITE,
          quantity,
          reason: 'opening',
          idempotencyKey: `open-${sku}`,
          binId: 'C-01',
        },
      }),
    );
  const count = await runtime.api('POST', '/api/cycle-counts', {
    role: 'inventory-controller',
    body: { locationId: SITE, binIds: ['C-01'] },
  });
  expect(count.status, JSON.stringify(count.body)).toBe(201);
  taskId = count.body.tasks[0].taskId;
});

afterAll(() => stopConsoleRig({ runtime, browser }));

async function scan(page: Page, code: string) {
  await page.keyboard.type(code, { delay: 5 });
  await page.keyboard.press('Enter');
}
const refusedWith = (page: Page) => page.getByTestId('scan-feedback').getAttribute('data-code');
const hasFocus = (page: Page, testId: string) =>
  page.evaluate((id) => !!document.activeElement?.closest(`[data-testid="${id}"]`), testId);

describe('console: cycle counts', () => {
  it('counts a bin blind on the handheld, and a supervisor approves the difference', async () => {
    const handheld = await openConsole(browser, runtime.url, { viewport: VIEWPORTS.handheld });
    try {
      const { page, errors } = handheld;
      await signInAs(page, 'warehouse-associate', { next: '/warehouse/count' });
      await page.getByTestId('count-site').selectOption(SITE);
      await page.getByTestId('count-task-C-01').waitFor();
      await eventually(() => hasFocus(page, 'count-bin-input')).toBe(true);
      await scan(page, 'LBL-C-01');
      await page.waitForURL(new RegExp(`task=${taskId}`));
      expect(await page.getByTestId('count-bin-label').textContent()).toBe('LBL-C-01');

      // Units before the bin are refused; then the bin, then what is found.
      await eventually(() => hasFocus(page, 'count-scan-input')).toBe(true);
      await scan(page, MUG.barcode);
      await eventually(() => refusedWith(page)).toBe('SCAN_BIN_FIRST');
      await scan(page, 'LBL-C-01');
      await scan(page, MUG.barcode);
      await scan(page, MUG.sku);
      await eventually(() => page.getByTestId('count-units').textContent()).toBe('2');
      // A full case: the quantity typed instead of scanning 36 units.
      await page.getByTestId(`count-qty-${MUG.sku}`).fill('36');
      await eventually(() => page.getByTestId('count-units').textContent()).toBe('36');
      const screen = await visibleText(page.locator('main'));
      expect(screen).not.toContain(String(MUGS_IN_BIN));
      expect(screen).not.toContain(String(TEES_IN_BIN));
      expect(screen).not.toContain(TEE);
      await saveScreenshot(page, 'warehouse-count');
      await page.getByTestId('submit-count').click();
      await page.getByTestId('count-submitted').waitFor();
      expect(await visibleText(page.locator('main'))).not.toContain(String(MUGS_IN_BIN));
      expect(errors).toEqual([]);
    } finally {
      await handheld.context.close();
    }

    // 36 of 37 mugs is within tolerance and posted; no tee found (13 expected) waits for approval.
    const bin = async () =>
      Object.fromEntries(
        (await runtime.api('GET', `/api/locations/${SITE}/bins`)).body.items
          .find((b: { binId: string }) => b.binId === 'C-01')
          .contents.map((c: { sku: string; quantity: number }) => [c.sku, c.quantity]),
      );
    expect(await bin()).toEqual({ [MUG.sku]: 36, [TEE]: TEES_IN_BIN });

    const desk = await openConsole(browser, runtime.url);
    try {
      const { context, page, errors } = desk;
      // The supervisor works at the count site ("my site"): the queue shows its accuracy.
      await context.addInitScript((site) => localStorage.setItem('qm.site:local-supervisor', site), SITE);
      await signInAs(page, 'supervisor', { next: '/warehouse/variances' });
      const table = page.getByTestId('count-variances-table');
      const row = table.locator('tbody tr').filter({ hasText: TEE });
      await row.waitFor();
      expect(await visibleText(row)).toContain('-13');
      // Two SKU-bins counted, the mugs within tolerance (A/B/C: nothing shipped, so both are C).
      await eventually(() => page.getByTestId('count-accuracy').textContent()).toContain(
        '50 % of 2 SKU-bins within tolerance (A — · B — · C 50 %)',
      );
      await row.locator('input[type="radio"]').check({ force: true });
      await page.getByTestId('approve-variance').click();
      // The reason is required: without it nothing is sent.
      await page.getByTestId('decide-submit').click();
      await page.getByRole('dialog').getByText('Give a reason').waitFor();
      await page
        .getByTestId('decide-reason')
        .locator('textarea')
        .fill('Recounted: the tees were moved to returns');
      await page.getByTestId('decide-submit').click();
      await eventually(() => table.getByText(TEE).count()).toBe(0);
      await saveScreenshot(page, 'warehouse-count-approvals');
      expect(errors).toEqual([]);
    } finally {
      await desk.context.close();
    }
    expect(await bin()).toEqual({ [MUG.sku]: 36 });
  });
});
