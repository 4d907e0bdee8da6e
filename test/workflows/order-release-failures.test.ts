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
/** How many more times the workflow task fails for a step; the real handler runs otherwise. */
const failures = new Map<string, number>();

beforeAll(async () => {
  rt = await startTestRuntime();
  await putSku(rt, 'TEE');
  await putLocation(rt, 'WH1', 'warehouse', 'US', 'OR');
  await putChannel(rt, 'web', { locationIds: ['WH1'] });
  await stock(rt, 'TEE', 'WH1', 10);
  // Fault injection at the Lambda boundary: the ASL, its Retry/Catch and the handlers are real.
  const invoke = rt.lambdas.invokeInBackground.bind(rt.lambdas);
  rt.lambdas.invokeInBackground = async (fn: string, payload: unknown) => {
    const step = (payload as { step?: string })?.step;
    const left = fn === 'orderReleaseTask' && step ? (failures.get(step) ?? 0) : 0;
    if (left > 0) {
      failures.set(step as string, left - 1);
      throw Object.assign(new Error(`injected failure in ${step}`), { name: 'ServiceUnavailable' });
    }
    return invoke(fn, payload);
  };
});

afterAll(async () => {
  await rt?.stop();
});

const execution = (orderId: string) =>
  rt.sfn.listExecutions(rt.sfn.arnOf('order-release')).find((e) => e.name === orderId);

/**
 * Steps run only in the durable workflow, which an order reaches through a hold: sent with its
 * payment only authorized, it parks; releasing the hold resumes the execution's later steps.
 */
async function sendThroughDurablePath(lines: { sku: string; quantity: number }[]) {
  const orderId = await sendOrder(rt, 'web', { lines, payment: 'authorized' });
  await waitForStatus(rt, orderId, 'on_hold');
  const released = await rt.api('POST', `/api/orders/${orderId}/holds/payment/release`, {
    role: 'supervisor',
    body: { note: 'payment captured by phone' },
  });
  expect(released.status).toBe(200);
  return orderId;
}

describe('order-release task failures', () => {
  it('retries a step that fails transiently and releases the order once', async () => {
    failures.set('release', 1);
    const orderId = await sendThroughDurablePath([{ sku: 'TEE', quantity: 2 }]);

    await waitForStatus(rt, orderId, 'released');

    expect(failures.get('release')).toBe(0);
    expect(releaseEvents(rt, 'OrderReleased', orderId)).toHaveLength(1);
    expect((await positions(rt, 'TEE')).WH1).toMatchObject({ reserved: 2, available: 8 });
    await expectStockInvariants(rt, ['TEE']);
  });

  it('catches a step that keeps failing: releases what was reserved and holds the order for review', async () => {
    failures.set('release', 100);
    const orderId = await sendThroughDurablePath([{ sku: 'TEE', quantity: 3 }]);

    const order = await waitForStatus(rt, orderId, 'failed', 60_000);
    failures.set('release', 0);
    await rt.settle();

    expect(order.releaseFailure).toMatchObject({ error: 'ServiceUnavailable' });
    expect(order.holds.review).toMatchObject({ type: 'review', status: 'open' });
    expect(Object.values(order.shipments).map((s: any) => s.status)).toEqual(['failed']);
    expect(releaseEvents(rt, 'OrderReleaseFailed', orderId)).toHaveLength(1);
    expect(execution(orderId)).toMatchObject({ status: 'FAILED', error: 'OrderReleaseFailed' });
    expect((await positions(rt, 'TEE')).WH1).toMatchObject({ reserved: 2, available: 8 });
    await expectStockInvariants(rt, ['TEE']);
  });

  it('lets a person retry a failed order once its cause is fixed, in a new execution', async () => {
    failures.set('release', 100);
    const orderId = await sendThroughDurablePath([{ sku: 'TEE', quantity: 1 }]);
    await waitForStatus(rt, orderId, 'failed', 60_000);
    failures.set('release', 0);
    await rt.settle();
    const before = (await positions(rt, 'TEE')).WH1.reserved;

    const refused = await rt.api('POST', `/api/orders/${orderId}/retry`, { role: 'warehouse-associate' });
    const retried = await rt.api('POST', `/api/orders/${orderId}/retry`, {
      role: 'customer-service',
      body: { note: 'carrier outage over' },
    });
    const order = await waitForStatus(rt, orderId, 'released');
    const again = await rt.api('POST', `/api/orders/${orderId}/retry`, { role: 'customer-service' });

    expect(refused.status).toBe(403);
    expect(retried.status).toBe(202);
    expect(order.holds.review).toMatchObject({ status: 'released', note: 'carrier outage over' });
    expect(order.releaseFailure).toBeUndefined();
    expect(
      rt.sfn.listExecutions(rt.sfn.arnOf('order-release')).find((e) => e.name === `${orderId}-retry-1`),
    ).toMatchObject({ status: 'SUCCEEDED' });
    expect((await positions(rt, 'TEE')).WH1.reserved).toBe(before + 1);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('ORDER_NOT_FAILED');
    await expectStockInvariants(rt, ['TEE']);
  });
});
