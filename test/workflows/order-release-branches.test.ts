import { DeleteCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { releaseKeys } from '../../functions/orders/release/keys.ts';
import { documentClient } from '../../functions/shared/clients.ts';
import { tableName } from '../../functions/shared/table.ts';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';
import {
  expectStockInvariants,
  getOrder,
  positions,
  putChannel,
  putLocation,
  putSku,
  releaseEvents,
  sendOrder,
  stock,
  waitForStatus,
} from './order-release-helpers.ts';

let rt: TestRuntime;
const SKUS = ['TEE', 'MUG', 'CAP', 'HAT', 'SOCK', 'SCARF'];

const execution = (orderId: string) =>
  rt.sfn.listExecutions(rt.sfn.arnOf('order-release')).find((e) => e.name === orderId);

const release = (orderId: string, holdId: string) =>
  rt.api('POST', `/api/orders/${orderId}/holds/${holdId}/release`, { role: 'customer-service', body: {} });

/** Puts the order's OrderReceived on the bus again, as the bus does after a failed invocation. */
async function deliverOrderReceivedAgain(orderId: string) {
  const received = rt.bus
    .events({ detailType: 'OrderReceived' })
    .find((e: any) => e.detail.data.orderId === orderId);
  await rt.api('POST', '/local/events', {
    body: {
      Entries: [
        { Source: 'qm.orders', DetailType: 'OrderReceived', Detail: JSON.stringify(received?.detail) },
      ],
    },
  });
  await rt.settle();
}

beforeAll(async () => {
  rt = await startTestRuntime();
  for (const sku of SKUS) await putSku(rt, sku);
  await putLocation(rt, 'WH1', 'warehouse', 'US', 'OR');
  await putLocation(rt, 'WH2', 'warehouse', 'US', 'NJ');
  await putLocation(rt, 'TPL', '3pl', 'US', 'TX');
  await putChannel(rt, 'web', {
    locationIds: ['WH1', 'WH2'],
    priority: 10,
    fraudThreshold: 50,
    allowSplit: true,
  });
  await putChannel(rt, 'whole', { locationIds: ['WH1'], priority: 5, allowSplit: false });
  await putChannel(rt, 'outsourced', { locationIds: ['TPL'] });
  await stock(rt, 'TEE', 'WH1', 50);
  await stock(rt, 'MUG', 'WH2', 10);
  await stock(rt, 'HAT', 'TPL', 10);
  await stock(rt, 'SOCK', 'WH1', 1);
});

afterAll(async () => {
  await rt?.stop();
});

describe('holds', () => {
  it('holds an order whose fraud score is above the channel threshold, until released', async () => {
    const orderId = await sendOrder(rt, 'web', {
      lines: [{ sku: 'TEE', quantity: 1, unitPrice: '600.00' }],
      customerRef: null,
    });

    const held = await waitForStatus(rt, orderId, 'on_hold');
    expect(held.holds.fraud.reason).toMatch(/fraud score 60 above the channel threshold 50/);
    await expectStockInvariants(rt, ['TEE']);
    expect((await release(orderId, 'fraud')).status).toBe(200);

    await waitForStatus(rt, orderId, 'released');
    await expectStockInvariants(rt, ['TEE']);
  });

  it('holds an order without a ship-to address, and one no node can deliver to', async () => {
    const incomplete = await sendOrder(rt, 'web', { shipTo: null });
    const abroad = await sendOrder(rt, 'web', {
      shipTo: { name: 'A B', line1: '1 Rue', city: 'Paris', postalCode: '75001', country: 'FR', phone: '1' },
    });

    expect((await waitForStatus(rt, incomplete, 'on_hold')).holds.address.reason).toBe('no ship-to address');
    expect((await waitForStatus(rt, abroad, 'on_hold')).holds.address.reason).toMatch(
      /undeliverable: no node of channel web ships standard to FR/,
    );
    await expectStockInvariants(rt, ['TEE']);
  });

  it('keeps an order held while a manual hold is open, and releases it when the last hold is released', async () => {
    const orderId = await sendOrder(rt, 'web', { payment: 'pending' });
    await waitForStatus(rt, orderId, 'on_hold');

    const manual = await rt.api('POST', `/api/orders/${orderId}/holds`, {
      role: 'customer-service',
      body: { reason: 'customer asked to wait for a gift note' },
    });
    expect(manual.status).toBe(201);
    expect(manual.body).toMatchObject({ holdId: 'manual-1', type: 'manual', status: 'open' });
    const first = await release(orderId, 'payment');
    await rt.settle();

    expect(first.body).toMatchObject({ remaining: 1, resumed: false });
    expect((await getOrder(rt, orderId)).status).toBe('on_hold');
    expect((await release(orderId, 'manual-1')).body).toMatchObject({ remaining: 0, resumed: true });
    const released = await waitForStatus(rt, orderId, 'released');
    expect(Object.values(released.holds).every((h: any) => h.status === 'released' && h.releasedBy)).toBe(
      true,
    );
    await expectStockInvariants(rt, ['TEE']);
  });

  it('refuses hold commands to roles that may not release holds', async () => {
    const res = await rt.api('POST', '/api/orders/whatever/holds/payment/release', {
      role: 'warehouse-associate',
    });
    expect(res.status).toBe(403);
  });
});

describe('allocation and release', () => {
  it('splits an order over two warehouses when no node has every line and the channel allows it', async () => {
    const orderId = await sendOrder(rt, 'web', {
      lines: [
        { sku: 'TEE', quantity: 1 },
        { sku: 'MUG', quantity: 2 },
      ],
    });

    const order = await waitForStatus(rt, orderId, 'released');

    expect(order.routing.split).toBe(true);
    expect(order.routing.chosen).toEqual(
      expect.arrayContaining([
        { locationId: 'WH1', lineIds: ['L1'] },
        { locationId: 'WH2', lineIds: ['L2'] },
      ]),
    );
    expect(order.routing.candidates.find((c: any) => c.locationId === 'WH1').reasons).toContain(
      'short of MUG: 0 available, 2 needed',
    );
    expect(
      releaseEvents(rt, 'OrderReleased', orderId)
        .map((e: any) => e.detail.data.locationId)
        .sort(),
    ).toEqual(['WH1', 'WH2']);
    expect((await positions(rt, 'MUG')).WH2).toMatchObject({ reserved: 2, available: 8 });
    await expectStockInvariants(rt, ['TEE', 'MUG']);
  });

  it('hands an order for a 3PL node to the 3PL instead of our pickers', async () => {
    const orderId = await sendOrder(rt, 'outsourced', { lines: [{ sku: 'HAT', quantity: 1 }] });

    await waitForStatus(rt, orderId, 'released');

    expect(releaseEvents(rt, 'ThreePLOrderRequested', orderId)).toHaveLength(1);
    expect(releaseEvents(rt, 'OrderReleased', orderId)).toHaveLength(0);
    await expectStockInvariants(rt, ['HAT']);
  });

  it('releases an order once on the fast path however often OrderReceived is delivered', async () => {
    const orderId = await sendOrder(rt, 'web');
    await waitForStatus(rt, orderId, 'released');
    const reservedBefore = (await positions(rt, 'TEE')).WH1.reserved - 1;

    await deliverOrderReceivedAgain(orderId);

    // Nothing needed a person: no durable execution. The repeat may re-send the release (in case
    // the first attempt died before publishing), but only as the same event, which consumers dedupe.
    expect(
      rt.sfn.listExecutions(rt.sfn.arnOf('order-release')).filter((e) => e.name === orderId),
    ).toHaveLength(0);
    const ids = releaseEvents(rt, 'OrderReleased', orderId).map((e: any) => e.detail.metadata.eventId);
    expect(new Set(ids).size).toBe(1);
    expect((await positions(rt, 'TEE')).WH1.reserved).toBe(reservedBefore + 1);
    expect((await getOrder(rt, orderId)).shipments).toEqual(
      expect.objectContaining({
        [`order:${orderId}:WH1:0`]: expect.objectContaining({ status: 'released' }),
      }),
    );
    await expectStockInvariants(rt, ['TEE']);
  });
});

describe('backorders', () => {
  it('backorders a short order with its expected availability, then releases it when stock arrives', async () => {
    const orderId = await sendOrder(rt, 'whole', { lines: [{ sku: 'SOCK', quantity: 3 }] });

    const backordered = await waitForStatus(rt, orderId, 'backordered');
    expect(backordered.lineStates.L1).toMatchObject({ status: 'backordered', expectedAt: null });
    expect(releaseEvents(rt, 'OrderBackordered', orderId)).toHaveLength(1);
    expect((await positions(rt, 'SOCK')).WH1).toMatchObject({ reserved: 0, available: 1 });
    await expectStockInvariants(rt, ['SOCK']);

    const receipt = await rt.api('POST', '/api/inventory/receipts', {
      role: 'warehouse-associate',
      body: { sku: 'SOCK', locationId: 'WH1', quantity: 5, reason: 'PO-1', idempotencyKey: 'po-1-sock-wh1' },
    });
    expect(receipt.status).toBe(201);

    const released = await waitForStatus(rt, orderId, 'released');
    expect(released.lineStates.L1).toMatchObject({ status: 'released', locationId: 'WH1' });
    expect((await positions(rt, 'SOCK')).WH1).toMatchObject({ reserved: 3, available: 3 });
    expect(execution(orderId)).toBeUndefined(); // backorder and fill both took the fast path
    await expectStockInvariants(rt, ['SOCK']);
  });

  it('puts back the queue entry and event of a backorder whose invocation died after the order write', async () => {
    const orderId = await sendOrder(rt, 'whole', { lines: [{ sku: 'SCARF', quantity: 2 }] });
    const backordered = await waitForStatus(rt, orderId, 'backordered');
    // What a crash between the order write and the rest leaves: the order backordered, no entry.
    const entry = {
      TableName: tableName(),
      Key: releaseKeys.backorderEntry('SCARF', 5, backordered.placedAt, orderId),
    };
    expect((await documentClient().send(new GetCommand(entry))).Item).toBeDefined();
    await documentClient().send(new DeleteCommand(entry));

    await deliverOrderReceivedAgain(orderId);

    expect((await documentClient().send(new GetCommand(entry))).Item).toMatchObject({
      orderId,
      sku: 'SCARF',
    });
    const ids = releaseEvents(rt, 'OrderBackordered', orderId).map((e: any) => e.detail.metadata.eventId);
    expect(ids.length).toBeGreaterThanOrEqual(1);
    expect(new Set(ids).size).toBe(1);
    // And the entry does its job: stock arriving releases the order.
    const receipt = await rt.api('POST', '/api/inventory/receipts', {
      role: 'warehouse-associate',
      body: {
        sku: 'SCARF',
        locationId: 'WH1',
        quantity: 2,
        reason: 'PO-3',
        idempotencyKey: 'po-3-scarf-wh1',
      },
    });
    expect(receipt.status).toBe(201);
    await waitForStatus(rt, orderId, 'released');
  });

  it('promises a backorder from units in transit', async () => {
    await stock(rt, 'CAP', 'WH1', 1);
    const inbound = await rt.api('POST', '/api/inventory/adjustments', {
      body: {
        sku: 'CAP',
        locationId: 'WH1',
        delta: 10,
        bucket: 'inTransit',
        reason: 'PO-2',
        idempotencyKey: 'po-2-cap-intransit',
      },
    });
    expect(inbound.status).toBeLessThan(300);
    const orderId = await sendOrder(rt, 'whole', { lines: [{ sku: 'CAP', quantity: 4 }] });

    const order = await waitForStatus(rt, orderId, 'backordered');

    expect(order.lineStates.L1.expectedAt).toEqual(expect.any(String));
    await expectStockInvariants(rt, ['CAP']);
  });
});

describe('cancellation', () => {
  it('ends a held workflow and reserves nothing when a held order is cancelled', async () => {
    const orderId = await sendOrder(rt, 'web', { payment: 'authorized' });
    await waitForStatus(rt, orderId, 'on_hold');

    const res = await rt.api('POST', `/api/orders/${orderId}/cancel`, {
      role: 'customer-service',
      body: { reason: 'customer changed their mind' },
    });
    await rt.settle();

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: 'cancelled',
      previousStatus: 'on_hold',
      releasedReservations: [],
    });
    expect(execution(orderId)?.status).toBe('SUCCEEDED');
    expect((await getOrder(rt, orderId)).cancellation).toMatchObject({
      source: 'ops',
      previousStatus: 'on_hold',
    });
    expect(releaseEvents(rt, 'OrderReleaseCancelled', orderId)).toHaveLength(1);
    await expectStockInvariants(rt, ['TEE']);
  });

  it('releases the reservations of a released order exactly once, however often it is cancelled', async () => {
    const orderId = await sendOrder(rt, 'web', { lines: [{ sku: 'MUG', quantity: 3 }] });
    await waitForStatus(rt, orderId, 'released');
    const before = (await positions(rt, 'MUG')).WH2;

    const [a, b] = await Promise.all([
      rt.api('POST', `/api/orders/${orderId}/cancel`, { role: 'supervisor', body: {} }),
      rt.api('POST', `/api/orders/${orderId}/cancel`, { role: 'admin', body: {} }),
    ]);
    const again = await rt.api('POST', `/api/orders/${orderId}/cancel`, { role: 'admin', body: {} });
    await rt.settle();

    expect([a.status, b.status, again.status]).toEqual([200, 200, 200]);
    expect(again.body.recallFrom).toEqual(['WH2']);
    const after = (await positions(rt, 'MUG')).WH2;
    expect(after.reserved).toBe(before.reserved - 3);
    expect(after.available).toBe(before.available + 3);
    const reservationId = again.body.releasedReservations[0];
    const ledger = await rt.api('GET', '/api/inventory/MUG/ledger?limit=500', { role: 'finance' });
    expect(
      ledger.body.items.filter((m: any) => m.kind === 'release' && m.reservationId === reservationId),
    ).toHaveLength(1);
    await expectStockInvariants(rt, ['MUG']);
  });

  it('releases what a channel cancellation leaves reserved', async () => {
    const placedAt = new Date(Date.now() - 60_000).toISOString();
    const externalId = `chan-cancel-${Date.now()}`;
    const orderId = await sendOrder(rt, 'web', {
      externalId,
      placedAt,
      lines: [{ sku: 'TEE', quantity: 2 }],
    });
    await waitForStatus(rt, orderId, 'released');
    const reservedBefore = (await positions(rt, 'TEE')).WH1.reserved;

    const { storefrontBody } = await import('./order-release-helpers.ts');
    const cancelled = JSON.parse(
      storefrontBody({ externalId, placedAt, lines: [{ sku: 'TEE', quantity: 2 }] }).body,
    );
    cancelled.cancelledAt = new Date().toISOString();
    cancelled.updatedAt = cancelled.cancelledAt;
    const { hmacSha256 } = await import('../../functions/shared/webhooks.ts');
    const { SECRET } = await import('./order-release-helpers.ts');
    const body = JSON.stringify(cancelled);
    const res = await fetch(`${rt.url}/webhooks/orders/web`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-qm-signature': `sha256=${hmacSha256(SECRET, body, 'hex')}`,
      },
      body,
    });
    expect(res.status).toBe(200);

    let order = await getOrder(rt, orderId);
    for (let i = 0; i < 100 && !order.cancellation?.at; i++) {
      await rt.settle();
      order = await getOrder(rt, orderId);
    }
    expect(order.cancellation).toMatchObject({ source: 'channel', previousStatus: 'released' });
    await rt.settle();
    expect((await positions(rt, 'TEE')).WH1.reserved).toBe(reservedBefore - 2);
    await expectStockInvariants(rt, ['TEE']);
  });
});
