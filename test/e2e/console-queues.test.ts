import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureConsoleBuilt } from '../../local/console-build.ts';
import { REPO_ROOT } from '../../local/runtime.ts';
import {
  eventually,
  launchBrowser,
  openConsole,
  saveScreenshot,
  signInAs,
  visibleText,
} from '../support/browser.ts';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';
import {
  putChannel,
  putLocation,
  putSku,
  sendOrder,
  stock,
  waitForStatus,
} from '../workflows/order-release-helpers.ts';

/**
 * The console as a daily tool: work queues without typing a channel id, the Overview's live
 * counts, bulk hold release, plain-language audit actions and money in units.
 */

let runtime: TestRuntime;
let browser: Browser;
const ago = (hours: number) => new Date(Date.now() - hours * 3_600_000).toISOString();
let fresh: string;
let late: string;
let held: string[];

beforeAll(async () => {
  await ensureConsoleBuilt({ root: REPO_ROOT, log: (m) => console.log(m) });
  runtime = await startTestRuntime();
  browser = await launchBrowser();
  await putSku(runtime, 'MUG-01');
  await putLocation(runtime, 'DC-EAST', 'warehouse', 'US', 'NJ');
  await stock(runtime, 'MUG-01', 'DC-EAST', 20);
  await putChannel(runtime, 'web', { locationIds: ['DC-EAST'] });
  const line = { lines: [{ sku: 'MUG-01', quantity: 1 }] };
  fresh = await sendOrder(runtime, 'web', { externalId: 'Q-FRESH', placedAt: ago(1), ...line });
  // Released three days ago and still not shipped: at risk.
  late = await sendOrder(runtime, 'web', { externalId: 'Q-LATE', placedAt: ago(72), ...line });
  // Payment only authorized: the release workflow holds them.
  held = [
    await sendOrder(runtime, 'web', {
      externalId: 'Q-HELD-1',
      placedAt: ago(3),
      payment: 'authorized',
      ...line,
    }),
    await sendOrder(runtime, 'web', {
      externalId: 'Q-HELD-2',
      placedAt: ago(2),
      payment: 'authorized',
      ...line,
    }),
  ];
  await waitForStatus(runtime, fresh, 'released');
  await waitForStatus(runtime, late, 'released');
  for (const id of held) await waitForStatus(runtime, id, 'on_hold');
  await runtime.settle();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await runtime?.stop();
});

describe('console: work queues', () => {
  it('the Overview counts click through to their queues; the floor sees its own work first', async () => {
    const { context, page, errors } = await openConsole(browser, runtime.url);
    try {
      await signInAs(page, 'supervisor');
      await eventually(() => page.getByTestId('tile-holds-value').textContent()).toBe('2');
      await eventually(() => page.getByTestId('tile-at-risk-value').textContent()).toBe('1');
      await eventually(() => page.getByTestId('tile-orders-released').textContent()).toBe('2');
      expect(await page.getByTestId('tile-holds-oldest').textContent()).toMatch(/^oldest (2|3) h/);
      await page.getByTestId('order-backlog').locator('svg').first().waitFor();
      await saveScreenshot(page, 'overview-queues-supervisor');

      await page.getByTestId('tile-at-risk-value').click();
      await page.waitForURL(/\/orders\?queue=at_risk$/);
      const tabs = page.getByTestId('order-status-tabs');
      await eventually(() => tabs.getByRole('tab', { selected: true }).textContent()).toBe('At risk (1)');
      const table = page.getByTestId('orders-table');
      await table.getByRole('link', { name: late }).waitFor();
      await saveScreenshot(page, 'orders-at-risk');
      expect(await table.locator('tbody tr').count()).toBe(1);

      await page.goto('/');
      await page.getByTestId('tile-holds-value').click();
      await page.waitForURL(/\/orders\?status=on_hold$/);
      await eventually(() => tabs.getByRole('tab', { selected: true }).textContent()).toBe('On hold (2)');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }

    const floor = await openConsole(browser, runtime.url);
    try {
      await signInAs(floor.page, 'warehouse-associate');
      const first = floor.page.getByTestId('overview-tile').first();
      await eventually(() => first.getByTestId('tile-to-pick-value').textContent()).toBe('2');
      // With my site chosen, what is released to pick is counted there, and the link filters to it.
      await floor.page.evaluate(() => localStorage.setItem('qm.site:local-warehouse-associate', 'DC-EAST'));
      await floor.page.reload();
      await first.getByText('Released to pick at DC-EAST').waitFor();
      await eventually(() => first.getByTestId('tile-to-pick-value').textContent()).toBe('2');
      await first.getByTestId('tile-to-pick-value').click();
      await floor.page.waitForURL(/\/orders\?status=released&locationId=DC-EAST$/);
      await floor.page.getByTestId('orders-table').getByRole('link', { name: fresh }).waitFor();
      expect(floor.errors).toEqual([]);
    } finally {
      await floor.context.close();
    }
  });

  it('lists a status queue across channels without a channel id, and releases two holds with one reason', async () => {
    const { context, page, errors } = await openConsole(browser, runtime.url);
    try {
      await signInAs(page, 'customer-service', { next: '/orders' });
      const tabs = page.getByTestId('order-status-tabs');
      await tabs.getByRole('tab', { name: /^On hold/ }).click();
      await page.waitForURL(/\/orders\?status=on_hold$/);
      const table = page.getByTestId('orders-table');
      await eventually(async () =>
        (await table.locator('tbody tr').allInnerTexts()).map((r) => r.match(/Q-HELD-\d/)?.[0]),
      ).toEqual(['Q-HELD-2', 'Q-HELD-1']);

      await saveScreenshot(page, 'orders-on-hold-queue');
      for (const externalId of ['Q-HELD-1', 'Q-HELD-2']) {
        await table
          .locator('tbody tr')
          .filter({ hasText: externalId })
          .locator('input[type="checkbox"]')
          .check({ force: true });
      }
      await page.getByTestId('bulk-release').click();
      const dialog = page.getByRole('dialog');
      await dialog.getByLabel('Reason').fill('Payment captured by phone');
      await page.getByTestId('bulk-release-submit').click();
      const results = page.getByTestId('bulk-release-results');
      await eventually(async () => await results.getByText('Released 1 hold').count()).toBe(2);
      expect(await visibleText(page.getByTestId('bulk-release-progress'))).toContain('2 of 2 orders');
      for (const externalId of ['Q-HELD-1', 'Q-HELD-2']) {
        const row = results.locator('tbody tr').filter({ hasText: externalId });
        expect(await visibleText(row)).toContain('Released 1 hold');
      }
      await saveScreenshot(page, 'orders-bulk-release');
      await page.getByTestId('bulk-release-submit').click(); // Done
      await eventually(() => table.getByText('Q-HELD-1').count()).toBe(0);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
    for (const id of held) {
      const order = await waitForStatus(runtime, id, 'released');
      expect(order.holds.payment).toMatchObject({
        status: 'released',
        releasedBy: 'local-customer-service',
        note: 'Payment captured by phone',
      });
    }
  });

  it('the audit trail reads commands in plain language', async () => {
    const { context, page, errors } = await openConsole(browser, runtime.url);
    try {
      await signInAs(page, 'supervisor', { next: '/audit' });
      const rows = page.getByTestId('audit-table').locator('tbody tr');
      await rows.filter({ hasText: 'Adjusted stock' }).first().waitFor();
      await rows.filter({ hasText: 'Released a hold' }).first().waitFor();
      const text = await visibleText(page.getByTestId('audit-table'));
      expect(text).not.toContain('POST /api/inventory/adjustments');
      expect(text).not.toContain('/holds/');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('the routing simulation shows shipping cost in units, not cents', async () => {
    const { context, page, errors } = await openConsole(browser, runtime.url);
    try {
      await signInAs(page, 'supervisor', { next: '/settings/routing' });
      const zones = Object.fromEntries([1, 2, 3, 4, 5, 6, 7, 8].map((z) => [String(z), { standard: 1050 }]));
      await page
        .getByTestId('rules-editor')
        .locator('textarea')
        .fill(JSON.stringify({ shippingCost: zones }));
      await page.getByTestId('simulate-rules').click();
      const report = page.getByTestId('simulation-report');
      await report.getByText('Average shipping cost').waitFor();
      const text = await visibleText(report);
      expect(text).toMatch(/Average shipping cost\s+10\.50\s/);
      expect(text).not.toMatch(/1,?050/);
      await saveScreenshot(page, 'routing-simulation-money');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
