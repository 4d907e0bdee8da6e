import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, openConsole, signInAs, startConsoleRig, stopConsoleRig } from '../support/browser.ts';
import type { TestRuntime } from '../support/runtime.ts';
import {
  getOrder,
  putChannel,
  putLocation,
  putSku,
  sendOrder,
  stock,
  waitForStatus,
} from '../workflows/order-release-helpers.ts';

let runtime: TestRuntime;
let browser: Browser;
let orderId: string;

beforeAll(async () => {
  ({ runtime, browser } = await startConsoleRig());
  await putLocation(runtime, 'WH-WEST', 'warehouse', 'US', 'OR');
  await putSku(runtime, 'LAMP-01');
  await putChannel(runtime, 'store-release', { locationIds: ['WH-WEST'] });
  await stock(runtime, 'LAMP-01', 'WH-WEST', 10);

  // Authorized, not captured: the release workflow holds the order for payment.
  orderId = await sendOrder(runtime, 'store-release', {
    externalId: 'R-1001',
    lines: [{ sku: 'LAMP-01', quantity: 2 }],
    payment: 'authorized',
  });
  await waitForStatus(runtime, orderId, 'on_hold');
});

afterAll(() => stopConsoleRig({ runtime, browser }));

describe('console: order release', () => {
  it('customer service releases a payment hold and the order is released to a node', async () => {
    const { context, page, errors } = await openConsole(browser, runtime.url);
    try {
      // The held order waits in the on-hold queue; the work starts there.
      await signInAs(page, 'customer-service', { next: '/orders?status=on_hold' });
      await page.getByTestId('orders-table').getByRole('link', { name: orderId }).click();
      await page.waitForURL(new RegExp(`/orders/${orderId}$`));
      await eventually(() => page.locator('h1').first().textContent()).toBe('Order R-1001');
      await page.getByTestId('order-reservations').getByText('No reservations').waitFor();
      const holds = page.getByTestId('order-holds');
      await holds.getByText('payment', { exact: true }).waitFor();
      await page.getByTestId('order-allocation').getByText('Not allocated yet').waitFor();

      await holds.getByRole('button', { name: 'Release hold payment' }).click();
      await page.getByText('Hold payment released').waitFor();

      await waitForStatus(runtime, orderId, 'released');
      await page.getByRole('button', { name: 'Refresh' }).click();
      await eventually(() => page.getByTestId('order-status').textContent()).toBe('released');
      await page.getByTestId('routing-summary').waitFor();
      expect(await page.getByTestId('order-allocation').textContent()).toContain('WH-WEST');
      await page.getByTestId('order-status-history').getByText('on hold').first().waitFor();
      // Released to a node: its reservation, read from inventory by the shipment's reservation id.
      const { reservationId } = Object.values((await getOrder(runtime, orderId)).shipments)[0] as {
        reservationId: string;
      };
      expect(reservationId).toMatch(new RegExp(`^order:${orderId}:WH-WEST:\\d+$`));
      const row = page
        .getByTestId('order-reservations')
        .locator('tbody tr')
        .filter({ hasText: reservationId });
      await eventually(() => row.innerText()).toMatch(/WH-WEST \(warehouse\)[\s\S]*open[\s\S]*LAMP-01 × 2/);

      // The released queue has it now, the on-hold queue no longer.
      await page.goto('/orders?status=released');
      await page.getByTestId('orders-table').getByRole('link', { name: orderId }).waitFor();
      await page
        .getByTestId('order-status-tabs')
        .getByRole('tab', { name: /^On hold/ })
        .click();
      await page.waitForURL(/status=on_hold/);
      await page.getByTestId('orders-table').getByText('No orders').waitFor();
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
    const order = await getOrder(runtime, orderId);
    expect(order.holds.payment).toMatchObject({ status: 'released', releasedBy: 'local-customer-service' });
  });

  it('shows the active routing rules to a supervisor and simulates a candidate', async () => {
    const { context, page, errors } = await openConsole(browser, runtime.url);
    try {
      await signInAs(page, 'supervisor', { next: '/settings/routing' });
      await eventually(() => page.getByTestId('active-rules-version').textContent()).toBe('0 (defaults)');
      await page.getByTestId('simulate-rules').click();
      await page.getByTestId('simulation-report').getByText('Split rate').waitFor();
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
