import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, openConsole, signInAs, startConsoleRig, stopConsoleRig } from '../support/browser.ts';
import type { TestRuntime } from '../support/runtime.ts';

/**
 * The planning screen: after a run, a planner sees the PO and transfer suggestions with their
 * inputs, turns the PO suggestion into a placed PO (prefilled, unit cost added) and the transfer
 * suggestion into a transfer, and opens a SKU's forecast chart.
 */
let runtime: TestRuntime;
let browser: Browser;
const today = new Date().toISOString().slice(0, 10);
const dayOf = (offset: number) =>
  new Date(Date.parse(`${today}T00:00:00Z`) + offset * 86_400_000).toISOString().slice(0, 10);

beforeAll(async () => {
  ({ runtime, browser } = await startConsoleRig());
  const ok = (res: { status: number; body: unknown }) =>
    expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
  for (const id of ['PL-W1', 'PL-W2'])
    ok(await runtime.api('PUT', `/api/locations/${id}`, { body: { name: id, type: 'warehouse' } }));
  for (const sku of ['PL-A', 'PL-B'])
    ok(await runtime.api('PUT', `/api/skus/${sku}`, { body: { name: sku } }));
  ok(
    await runtime.api('PUT', '/api/suppliers/PL-ACME', {
      body: { name: 'Acme', leadTimeDays: 5, currency: 'USD', moq: 10, casePack: 6 },
    }),
  );
  ok(
    await runtime.api('POST', '/api/purchase-orders', {
      body: {
        poId: 'PL-SEED',
        supplierId: 'PL-ACME',
        locationId: 'PL-W1',
        expectedAt: dayOf(20),
        lines: [{ sku: 'PL-B', quantity: 1, unitCost: '1.00' }],
      },
    }),
  );
  ok(await runtime.api('POST', '/api/purchase-orders/PL-SEED/cancel', { body: { reason: 'seed' } }));
  ok(
    await runtime.api('POST', '/api/inventory/receipts', {
      body: {
        sku: 'PL-A',
        locationId: 'PL-W1',
        quantity: 400,
        reason: 'opening',
        idempotencyKey: 'pl-open-a',
      },
    }),
  );
  const rows = ['date,sku,locationId,quantity'];
  for (let i = 42; i >= 1; i--) {
    rows.push(`${dayOf(-i)},PL-A,PL-W1,${8 + (i % 7)}`, `${dayOf(-i)},PL-A,PL-W2,${4 + (i % 3)}`);
    rows.push(`${dayOf(-i)},PL-B,PL-W1,${5 + (i % 4)}`);
  }
  ok(
    await runtime.api('POST', '/api/planning/demand-history', {
      body: rows.join('\n'),
      headers: { 'content-type': 'text/csv' },
    }),
  );
  await runtime.settle();
  ok(await runtime.api('POST', '/api/planning/runs', { body: { asOf: today } }));
  await runtime.settle();
}, 180_000);

afterAll(() => stopConsoleRig({ runtime, browser }));

describe('console: planning', () => {
  it('turns a PO suggestion into a placed PO and a transfer suggestion into a transfer, and charts a forecast', async () => {
    const { context, page, errors } = await openConsole(browser, runtime.url);
    try {
      await signInAs(page, 'inventory-controller', { next: '/planning' });
      const pos = page.getByTestId('suggestions-po');
      const row = pos.locator('tbody tr').filter({ hasText: 'PL-B' });
      await row.waitFor();
      expect(await row.textContent()).toContain('PL-ACME');
      expect(await row.textContent()).toMatch(/SS [\d.]+ · ROP [\d.]+/);
      await row.getByTestId('create-draft-po').click();
      await page.getByTestId('draft-po-unit-cost').locator('input').fill('3.20');
      await page.getByTestId('place-draft-po').click();
      await eventually(async () =>
        (await runtime.api('GET', '/api/purchase-orders?supplierId=PL-ACME')).body.items.some(
          (p: { poId: string; status: string }) => p.poId.startsWith('PLAN-PL-B') && p.status === 'open',
        ),
      ).toBe(true);

      await page.getByRole('tab', { name: 'Transfers' }).click();
      const transfer = page
        .getByTestId('suggestions-transfer')
        .locator('tbody tr')
        .filter({ hasText: 'PL-A' });
      await transfer.waitFor();
      expect(await transfer.textContent()).toContain('PL-W1 → PL-W2');
      await transfer.getByTestId('create-transfer').click();
      await eventually(async () =>
        (await runtime.api('GET', '/api/transfers?status=created')).body.items.some(
          (t: { transferId: string }) => t.transferId.startsWith('PLAN-PL-A-PL-W1-PL-W2'),
        ),
      ).toBe(true);

      await transfer.getByRole('button', { name: 'PL-A' }).click();
      await page.getByTestId('forecast-chart').waitFor();
      await eventually(async () => (await page.locator('main').textContent()) ?? '').toContain(
        'backtest WAPE',
      );
      await page
        .getByTestId('planning-runs')
        .locator('tbody tr')
        .filter({ hasText: 'succeeded' })
        .first()
        .waitFor();
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
