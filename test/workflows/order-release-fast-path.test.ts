import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderIdFor } from '../../functions/orders/keys.ts';
import { hmacSha256 } from '../../functions/shared/webhooks.ts';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';
import {
  expectStockInvariants,
  getOrder,
  positions,
  putChannel,
  putLocation,
  putSku,
  releaseEvents,
  SECRET,
  sendOrder,
  stock,
  storefrontBody,
  waitForStatus,
} from './order-release-helpers.ts';

let rt: TestRuntime;

beforeAll(async () => {
  rt = await startTestRuntime();
  for (const sku of ['TENT', 'POLE', 'STAKE', 'MUG']) await putSku(rt, sku);
  // A kit is sold as one SKU and reserved as its components: 1 tent body, 2 poles, 8 stakes.
  const kit = await rt.api('PUT', '/api/skus/TENT-KIT', {
    body: {
      name: 'Tent kit',
      kit: {
        components: [
          { sku: 'TENT', quantity: 1 },
          { sku: 'POLE', quantity: 2 },
          { sku: 'STAKE', quantity: 8 },
        ],
      },
    },
  });
  expect(kit.status).toBeLessThan(300);
  await putLocation(rt, 'WH1', 'warehouse', 'US', 'OR');
  await putChannel(rt, 'web', { locationIds: ['WH1'] });
  await stock(rt, 'TENT', 'WH1', 3);
  await stock(rt, 'POLE', 'WH1', 6);
  await stock(rt, 'STAKE', 'WH1', 16); // stakes limit it: 2 kits
  await stock(rt, 'MUG', 'WH1', 5);
});

afterAll(async () => {
  await rt?.stop();
});

const execution = (orderId: string) =>
  rt.sfn.listExecutions(rt.sfn.arnOf('order-release')).find((e) => e.name === orderId);

/** Posts a storefront order body (as JSON text) with a valid signature. */
async function post(body: Record<string, unknown>, deliveryId: string) {
  const text = JSON.stringify(body);
  const res = await fetch(`${rt.url}/webhooks/orders/web`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-qm-signature': `sha256=${hmacSha256(SECRET, text, 'hex')}`,
      'idempotency-key': deliveryId,
    },
    body: text,
  });
  expect(res.status, await res.clone().text()).toBeLessThan(300);
}

describe('kits', () => {
  it('releases a kit order by reserving its components, without a durable execution', async () => {
    const orderId = await sendOrder(rt, 'web', { lines: [{ sku: 'TENT-KIT', quantity: 2 }] });

    const order = await waitForStatus(rt, orderId, 'released');

    expect(order.lineStates.L1).toMatchObject({ status: 'released', locationId: 'WH1' });
    expect((await positions(rt, 'TENT')).WH1).toMatchObject({ reserved: 2, available: 1 });
    expect((await positions(rt, 'POLE')).WH1).toMatchObject({ reserved: 4, available: 2 });
    expect((await positions(rt, 'STAKE')).WH1).toMatchObject({ reserved: 16, available: 0 });
    expect(releaseEvents(rt, 'OrderReleased', orderId)).toHaveLength(1);
    expect(execution(orderId)).toBeUndefined();
    await expectStockInvariants(rt, ['TENT', 'POLE', 'STAKE']);
  });

  it('backorders a kit its components cannot build, and releases it when a component arrives', async () => {
    const orderId = await sendOrder(rt, 'web', { lines: [{ sku: 'TENT-KIT', quantity: 1 }] });
    await waitForStatus(rt, orderId, 'backordered');

    // Stakes are the short component: receiving them is what completes the kit.
    const receipt = await rt.api('POST', '/api/inventory/receipts', {
      role: 'warehouse-associate',
      body: { sku: 'STAKE', locationId: 'WH1', quantity: 8, reason: 'PO-7', idempotencyKey: 'po-7-stake' },
    });
    expect(receipt.status).toBe(201);

    const released = await waitForStatus(rt, orderId, 'released');
    expect(released.lineStates.L1).toMatchObject({ status: 'released', locationId: 'WH1' });
    expect((await positions(rt, 'STAKE')).WH1).toMatchObject({ reserved: 24, available: 0 });
    await expectStockInvariants(rt, ['TENT', 'POLE', 'STAKE']);
  });
});

describe('substitutes', () => {
  it('routes a short line as its substitute when the order allows it, and says so', async () => {
    const red = await rt.api('PUT', '/api/skus/MUG-RED', { body: { name: 'Red mug', substitutes: ['MUG'] } });
    expect(red.status).toBeLessThan(300);
    const { externalId, body } = storefrontBody({ lines: [{ sku: 'MUG-RED', quantity: 1 }] });
    await post({ ...JSON.parse(body), allowSubstitutes: true }, `d-${externalId}`);
    const orderId = orderIdFor('web', externalId);

    const order = await waitForStatus(rt, orderId, 'released');

    expect(order.routing.substitutions).toEqual([{ lineId: 'L1', from: 'MUG-RED', to: 'MUG' }]);
    expect(order.routing.summary).toContain('substituted MUG for MUG-RED');
    const [event] = releaseEvents(rt, 'OrderReleased', orderId);
    expect((event as any).detail.data.lines).toEqual([expect.objectContaining({ lineId: 'L1', sku: 'MUG' })]);
    await expectStockInvariants(rt, ['MUG']);
  });

  it('backorders a short line when the order does not allow substitutes', async () => {
    const { externalId, body } = storefrontBody({ lines: [{ sku: 'MUG-RED', quantity: 1 }] });
    await post(JSON.parse(body), `d-${externalId}`);

    const order = await waitForStatus(rt, orderIdFor('web', externalId), 'backordered');

    expect(order.routing.substitutions).toBeUndefined();
  });
});

describe('order changes', () => {
  it('clears a payment hold when the channel reports the order paid, and releases it', async () => {
    const { externalId, body } = storefrontBody({ lines: [{ sku: 'MUG', quantity: 1 }], payment: 'pending' });
    const first = JSON.parse(body) as Record<string, unknown>;
    await post(first, `d-${externalId}-1`);
    const orderId = orderIdFor('web', externalId);
    const held = await waitForStatus(rt, orderId, 'on_hold');
    expect(held.holds.payment).toMatchObject({ status: 'open' });

    await post(
      { ...first, payment: { status: 'paid' }, updatedAt: new Date(Date.now() + 1000).toISOString() },
      `d-${externalId}-2`,
    );

    const released = await waitForStatus(rt, orderId, 'released');
    expect(released.holds.payment).toMatchObject({ status: 'released', releasedBy: 'system:channel' });
    expect(execution(orderId)?.status).toBe('SUCCEEDED');
    await expectStockInvariants(rt, ['MUG']);
  });

  it('raises an order exception for an address change after release, and leaves the release as it was', async () => {
    const { externalId, body } = storefrontBody({ lines: [{ sku: 'MUG', quantity: 1 }] });
    const first = JSON.parse(body) as Record<string, unknown>;
    await post(first, `d-${externalId}-1`);
    const orderId = orderIdFor('web', externalId);
    const before = await waitForStatus(rt, orderId, 'released');

    const moved = { ...(first.shipTo as object), line1: '99 Other Rd' };
    await post(
      { ...first, shipTo: moved, updatedAt: new Date(Date.now() + 1000).toISOString() },
      `d-${externalId}-2`,
    );
    await rt.settle();

    const after = await getOrder(rt, orderId);
    const exceptions = Object.values(after.exceptions ?? {});
    expect(exceptions).toEqual([
      expect.objectContaining({ kind: 'changed-after-allocation', changed: ['shipTo'], status: 'open' }),
    ]);
    expect(after.status).toBe('released');
    expect(after.shipments).toEqual(before.shipments);
    expect(releaseEvents(rt, 'OrderExceptionRaised', orderId)).toHaveLength(1);
  });
});
