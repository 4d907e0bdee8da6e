import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';
import {
  expectStockInvariants,
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

beforeAll(async () => {
  rt = await startTestRuntime();
  await putSku(rt, 'TEE');
  await putLocation(rt, 'WH1', 'warehouse', 'US', 'OR');
  await putChannel(rt, 'web', { locationIds: ['WH1'], priority: 10, fraudThreshold: 50 });
  await stock(rt, 'TEE', 'WH1', 20);
});

afterAll(async () => {
  await rt?.stop();
});

describe('order-release holds', () => {
  it('releases a clean order to its warehouse and reserves its units', async () => {
    const orderId = await sendOrder(rt, 'web', { lines: [{ sku: 'TEE', quantity: 2 }] });

    const order = await waitForStatus(rt, orderId, 'released');

    expect(order.routing.chosen).toEqual([{ locationId: 'WH1', lineIds: ['L1'] }]);
    expect(releaseEvents(rt, 'OrderReleased', orderId)).toHaveLength(1);
    expect((await positions(rt, 'TEE')).WH1).toMatchObject({ reserved: 2, available: 18 });
    await expectStockInvariants(rt, ['TEE']);
  });

  it('holds an order whose payment is not captured until the hold is released', async () => {
    const orderId = await sendOrder(rt, 'web', { payment: 'authorized' });

    const held = await waitForStatus(rt, orderId, 'on_hold');
    expect(held.holds.payment).toMatchObject({
      type: 'payment',
      status: 'open',
      placedBy: 'system:order-release',
    });
    expect(releaseEvents(rt, 'OrderHeld', orderId)).toHaveLength(1);
    await expectStockInvariants(rt, ['TEE']);

    const res = await rt.api('POST', `/api/orders/${orderId}/holds/payment/release`, {
      role: 'customer-service',
      body: { note: 'captured manually' },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ resumed: true, remaining: 0 });

    const released = await waitForStatus(rt, orderId, 'released');
    expect(released.holds.payment).toMatchObject({ status: 'released', note: 'captured manually' });
    expect(released.holds.payment.releasedBy).toBeTruthy();
    await expectStockInvariants(rt, ['TEE']);
  });
});
