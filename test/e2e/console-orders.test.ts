import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hmacSha256 } from '../../functions/shared/webhooks.ts';
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
import { getOrder, putLocation, stock, waitForStatus } from '../workflows/order-release-helpers.ts';

const SECRET = 'console-e2e-storefront-key';

let runtime: TestRuntime;
let browser: Browser;
let orderId: string;
let heldOrderId: string;
let reservationId: string;
let allocation: string;
let exceptionId: string;

/** What a custom storefront sends: a canonical order, signed with the channel's secret. */
async function deliver(externalId: string, sku: string, opts: { payment?: string; placedAt?: string } = {}) {
  const body = JSON.stringify({
    externalId,
    orderNumber: `#${externalId}`,
    placedAt: opts.placedAt ?? '2026-11-20T10:00:00Z',
    currency: 'USD',
    lines: [{ sku, quantity: 2, unitPrice: '12.50', title: 'Enamel mug' }],
    shipTo: { name: 'Sam Doe', line1: '1 Main St', city: 'Portland', postalCode: '97201', country: 'US' },
    payment: { status: opts.payment ?? 'paid' },
  });
  const res = await fetch(`${runtime.url}/webhooks/orders/store-e2e`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-qm-signature': `sha256=${hmacSha256(SECRET, body, 'hex')}`,
      'idempotency-key': `delivery-${externalId}`,
    },
    body,
  });
  return { status: res.status, body: (await res.json()) as any };
}

beforeAll(async () => {
  await ensureConsoleBuilt({ root: REPO_ROOT, log: (m) => console.log(m) });
  runtime = await startTestRuntime();
  browser = await launchBrowser();
  expect((await runtime.api('PUT', '/api/skus/MUG-01', { body: { name: 'Enamel mug' } })).status).toBe(201);
  await putLocation(runtime, 'DC-EAST', 'warehouse', 'US', 'NJ');
  await stock(runtime, 'MUG-01', 'DC-EAST', 10);
  const channel = await runtime.api('PUT', '/api/channels/store-e2e', {
    body: { type: 'generic', secret: SECRET, locationIds: ['DC-EAST'] },
  });
  expect(channel.status).toBe(201);

  const order = await deliver('1001', 'MUG-01');
  expect(order.status).toBe(201);
  orderId = order.body.orderId as string;
  // Authorized, not captured: the release workflow holds it for payment.
  const held = await deliver('1003', 'MUG-01', { payment: 'authorized', placedAt: '2026-11-21T09:00:00Z' });
  expect(held.status).toBe(201);
  heldOrderId = held.body.orderId as string;
  // A storefront hears 422 for a line it must fix; Quartermaster keeps the delivery as an exception.
  const unknown = await deliver('1002', 'MUG-02');
  expect(unknown).toMatchObject({ status: 422, body: { error: { code: 'UNKNOWN_SKU' } } });
  exceptionId = unknown.body.error.details.exceptionId;
  const released = await waitForStatus(runtime, orderId, 'released');
  await waitForStatus(runtime, heldOrderId, 'on_hold');
  const shipment = (Object.values(released.shipments) as { reservationId: string; status: string }[])[0]!;
  reservationId = shipment.reservationId;
  allocation = shipment.status;
  await runtime.settle();
});

afterAll(async () => {
  await browser?.close();
  await runtime?.stop();
});

describe('console: orders and intake exceptions', () => {
  it('opens a work queue from the Overview, filters it, and follows a row to the order', async () => {
    const { context, page, errors } = await openConsole(browser, runtime.url);
    try {
      await signInAs(page, 'customer-service');
      // The Overview counts each queue through the listing and links into it, status preselected.
      await eventually(() => page.getByTestId('tile-holds-value').textContent()).toBe('1');
      await eventually(() => page.getByTestId('tile-backorders-value').textContent()).toBe('0');
      await eventually(() => page.getByTestId('tile-orders-released').textContent()).toBe('1');
      await saveScreenshot(page, 'overview-order-queues');
      await page.getByTestId('tile-holds').getByRole('link', { name: 'View held orders' }).click();
      await page.waitForURL(/\/orders\?status=on_hold$/);
      const tabs = page.getByTestId('order-status-tabs');
      await eventually(() => tabs.getByRole('tab', { selected: true }).textContent()).toBe('On hold (1)');
      const table = page.getByTestId('orders-table');
      await table.getByRole('link', { name: heldOrderId }).waitFor();
      expect(await table.getByRole('link', { name: orderId }).count()).toBe(0);
      expect(await visibleText(table)).toContain('#1003');

      // Another queue, then every status of one channel, newest first.
      await tabs.getByRole('tab', { name: /^Released/ }).click();
      await page.waitForURL(/status=released/);
      await table.getByRole('link', { name: orderId }).waitFor();
      await tabs.getByRole('tab', { name: 'All', exact: true }).click();
      await page.waitForURL(/\/orders$/);
      await table.getByLabel('Channel id').fill('store-e2e');
      await table.getByRole('button', { name: 'Find' }).click();
      await page.waitForURL(/\/orders\?channelId=store-e2e$/);
      await eventually(async () =>
        (await table.locator('tbody tr').allInnerTexts()).map((row) => row.match(/#\d+/)?.[0]),
      ).toEqual(['#1003', '#1001']);
      await saveScreenshot(page, 'orders-work-queue');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('finds an order by channel order id and shows its lines, timeline and reservation', async () => {
    const { context, page, errors } = await openConsole(browser, runtime.url);
    try {
      await signInAs(page, 'customer-service');
      await page.goto('/orders');
      const table = page.getByTestId('orders-table');
      await table.getByLabel('Channel id').fill('store-e2e');
      await table.getByLabel('Channel order id').fill('1001');
      await table.getByRole('button', { name: 'Find' }).click();
      await page.waitForURL(/channelId=store-e2e&externalId=1001/);
      await table.getByRole('link', { name: orderId }).click();

      await page.waitForURL(new RegExp(`/orders/${orderId}$`));
      await eventually(() => page.locator('h1').first().textContent()).toBe('Order #1001');
      const timeline = page.getByTestId('order-timeline');
      await timeline.getByText('OrderReceived').waitFor();
      // The order's reservation, under its own id (order:<orderId>:<location>:<round>), read from inventory.
      expect(reservationId).toMatch(new RegExp(`^order:${orderId}:DC-EAST:\\d+$`));
      const reservations = page.getByTestId('order-reservations');
      const row = reservations.locator('tbody tr').filter({ hasText: reservationId });
      await eventually(() => row.locator('th, td').allInnerTexts()).toEqual([
        reservationId,
        'DC-EAST (warehouse)',
        allocation,
        'open',
        'MUG-01 × 2',
        'MUG-01 × 2 @ DC-EAST',
        expect.any(String),
        '—',
      ]);
      expect(await reservations.getByText('No reservations').count()).toBe(0);
      await saveScreenshot(page, 'order-detail-reservations');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
    expect(
      (await runtime.api('GET', `/api/reservations/${encodeURIComponent(reservationId)}`)).body,
    ).toMatchObject({ reservationId, status: 'open' });
    expect((await getOrder(runtime, orderId)).shipments[reservationId]).toMatchObject({
      locationId: 'DC-EAST',
    });
  });

  it('shows an intake exception with its raw payload; replay is for supervisors and resolves it', async () => {
    const asService = await openConsole(browser, runtime.url);
    try {
      await signInAs(asService.page, 'customer-service');
      await asService.page.goto('/intake');
      await asService.page.getByTestId('intake-table').getByText('UNKNOWN_SKU').click();
      await asService.page.waitForURL(new RegExp(`/intake/${exceptionId}$`));
      await eventually(() => asService.page.getByTestId('raw-payload').textContent()).toContain(
        '"sku": "MUG-02"',
      );
      expect(await asService.page.getByTestId('replay').count()).toBe(0);
      expect(asService.errors).toEqual([]);
    } finally {
      await asService.context.close();
    }

    // The cause is fixed (the SKU now exists); a supervisor replays the stored delivery.
    expect(
      (await runtime.api('PUT', '/api/skus/MUG-02', { body: { name: 'Enamel mug, large' } })).status,
    ).toBe(201);
    const asSupervisor = await openConsole(browser, runtime.url);
    try {
      await signInAs(asSupervisor.page, 'supervisor', { next: `/intake/${exceptionId}` });
      await asSupervisor.page.getByTestId('replay').click();
      await asSupervisor.page.getByText('Replayed: order created').waitFor();
      await eventually(() => asSupervisor.page.getByTestId('replay').isDisabled()).toBe(true);
      await asSupervisor.page.getByRole('link', { name: /^Open order / }).click();
      await eventually(() => asSupervisor.page.locator('h1').first().textContent()).toBe('Order #1002');
      expect(asSupervisor.errors).toEqual([]);
    } finally {
      await asSupervisor.context.close();
    }
  });
});
